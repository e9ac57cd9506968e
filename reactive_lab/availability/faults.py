"""Faults of a supervised process: transient ones a restart fixes, deterministic ones not.

A **transient** fault is a bad moment: a dropped connection, a timeout in a race, a rare
interleaving. The process crashes, its supervisor starts a fresh copy, and the fresh copy
runs fine until the next bad moment, a random time later. A **deterministic** fault is a
bad input or a bad state that the fresh copy meets again: a corrupt configuration file, a
poison message redelivered from a durable queue, a disk that is full. From the moment it
appears, every copy crashes shortly after it starts, and restarting only burns restarts.

Both are armed by the supervisor each time it starts the child, as a timer the child
sends itself; the crash is then a real crash of the process in
:mod:`reactive_lab.core.sim` (its state, mailbox and timers are lost).

>>> from reactive_lab.core.sim import Simulation
>>> sim = Simulation(seed=1)
>>> fault = DeterministicFault(at=2.0, crash_after=0.5)
>>> fault.next_crash(sim, started=0.0), fault.next_crash(sim, started=3.0)
(2.5, 3.5)
"""

# Taught in chapters/03-availability/supervision.md; keep names in sync.

from __future__ import annotations

from dataclasses import dataclass

from reactive_lab.core import arguments
from reactive_lab.core.distributions import Exponential

__all__ = ["CRASH", "DeterministicFault", "TransientFault"]

CRASH = "crash!"
"""The body of the timer message that makes a child crash when it handles it."""


@dataclass(frozen=True)
class TransientFault:
    """Crashes at random, *mean_time_to_crash* apart on average (exponential up times).

    A restart fixes it: the new copy's time to its next crash is a fresh draw.

    Parameters
    ----------
    mean_time_to_crash : float
        The child's mean up time between crashes, in seconds (its MTBF).

    Raises
    ------
    ValueError
        If *mean_time_to_crash* is not positive.

    Examples
    --------
    >>> TransientFault(10.0).mean_time_to_crash
    10.0
    """

    mean_time_to_crash: float

    def __post_init__(self):
        arguments.positive("mean_time_to_crash", self.mean_time_to_crash)

    def stream(self, sim):
        """Return this fault's own random stream of up times in run *sim*."""
        return sim.seeds.draws(Exponential(1.0 / self.mean_time_to_crash))

    def next_crash(self, sim, started: float, draw=None) -> float:
        """Return when a copy started at *started* crashes (a draw from *draw*)."""
        draw = draw if draw is not None else self.stream(sim)
        return started + draw()


@dataclass(frozen=True)
class DeterministicFault:
    """From time *at* on, every copy crashes *crash_after* seconds after it starts.

    A copy already running at *at* crashes *crash_after* later (it meets the bad input
    then); a restart does not help.

    Parameters
    ----------
    at : float
        When the fault appears, in seconds from the start of the run.
    crash_after : float
        How long a copy lives once it meets the fault.

    Raises
    ------
    ValueError
        If *at* is negative or *crash_after* is not positive.

    Examples
    --------
    >>> DeterministicFault(at=1.0, crash_after=0.2).crash_after
    0.2
    """

    at: float
    crash_after: float

    def __post_init__(self):
        arguments.real("at", self.at, low=0)
        arguments.positive("crash_after", self.crash_after)

    def stream(self, sim):
        """Return None: a deterministic fault draws no random numbers."""
        return None

    def next_crash(self, sim, started: float, draw=None) -> float:
        """Return when a copy started at *started* crashes."""
        return max(started, self.at) + self.crash_after
