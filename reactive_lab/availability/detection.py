"""Failure detectors: heartbeats over a jittery network, judged by a timeout or by phi.

A monitored node sends a heartbeat every *interval* seconds; the network delays each one
by a random amount and may lose some. The monitor cannot see a crash, only silence, so it
must pick a moment to say "suspect". A **fixed timeout** suspects after *timeout* seconds
of silence. A **phi accrual** detector (Hayashibara et al., 2004) learns the mean and
spread of the gaps between heartbeats from a window of recent ones and suspects when the
silence is improbable enough: phi, -log10 of the chance that a live peer would be this
late, passes a *threshold*. Either way, a shorter wait detects a crash sooner and
suspects a live but slow peer more often.

:func:`heartbeat_arrivals` runs the heartbeats on :mod:`reactive_lab.core.sim`;
:func:`judge` replays a detector over the arrival times and reports its false suspicions
and, after a crash, its detection time.

>>> arrivals = heartbeat_arrivals(interval=1.0, jitter=0.2, until=100.0, seed=1)
>>> verdict = judge(arrivals, timeout=1.5)
>>> verdict.false_suspicions, verdict.gaps
(0, 98)
"""

# Taught in chapters/03-availability/detection.md; keep names in sync.

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from reactive_lab import theory
from reactive_lab.core import arguments
from reactive_lab.core.distributions import Uniform
from reactive_lab.core.sim import Simulation, crash_at

__all__ = [
    "AKKA_ACCEPTABLE_PAUSE_S",
    "AKKA_HEARTBEAT_S",
    "AKKA_MIN_STD_S",
    "AKKA_THRESHOLD",
    "Verdict",
    "akka_timeout",
    "heartbeat_arrivals",
    "judge",
    "phi_timeouts",
]

# Akka Cluster's failure-detector defaults (akka.cluster.failure-detector in reference.conf).
AKKA_HEARTBEAT_S = 1.0
AKKA_ACCEPTABLE_PAUSE_S = 3.0
AKKA_MIN_STD_S = 0.1
AKKA_THRESHOLD = 8.0


def heartbeat_arrivals(interval: float, jitter: float, until: float, *, loss: float = 0.0,
                       crash: float | None = None, seed=None) -> np.ndarray:
    """Return the times heartbeats reach the monitor: one sent every *interval* seconds.

    Each heartbeat takes a network delay uniform between 0 and *jitter* seconds and is
    lost with probability *loss*. With *crash*, the sender dies then and sends no more.

    Raises
    ------
    ValueError
        If a parameter is out of range (*jitter* must stay below *interval*).

    Examples
    --------
    >>> heartbeat_arrivals(1.0, 0.0, until=3.5)
    array([1., 2., 3.])
    """
    interval = arguments.positive("interval", interval)
    jitter = arguments.real("jitter", jitter, low=0, high=interval, high_open=True)
    until = arguments.positive("until", until)
    sim = Simulation(seed=seed, latency=Uniform(0.0, jitter) if jitter else None, loss=loss,
                     record_queues=False)
    arrivals: list[float] = []

    def sender(ctx, body):
        ctx.send("monitor", "heartbeat")
        ctx.timer(interval, "tick")

    sim.spawn("peer", sender)
    sim.spawn("monitor", lambda ctx, body: arrivals.append(ctx.now))
    sim.start_timer("peer", interval, "tick")
    if crash is not None:
        crash_at(sim, "peer", at=arguments.real("crash", crash, low=0, high=until))
    sim.run(until=until)
    return np.asarray(arrivals)


@dataclass(frozen=True)
class Verdict:
    """What a detector concluded over a run of heartbeats."""

    gaps: int
    """Gaps between consecutive heartbeats judged (each a chance to suspect wrongly)."""
    false_suspicions: int
    """Gaps during which the detector suspected a peer that then sent a heartbeat."""
    detection_time: float | None
    """After *crash*: from the crash to the suspicion (None without a crash)."""


def phi_timeouts(arrivals, threshold: float, window: int = 1000, *, exact: bool = True,
                 min_std: float = 0.0, acceptable_pause: float = 0.0) -> np.ndarray:
    """Return, after each arrival, the silence at which phi would pass *threshold*.

    The mean and standard deviation come from the last *window* gaps (at least 2), as
    in Akka's detector; *min_std* floors the deviation and *acceptable_pause* is added to
    the mean (Akka's defaults are 0.1 s and 3 s). ``exact=False`` uses Akka's logistic
    approximation of the normal tail.

    Examples
    --------
    >>> phi_timeouts([0.0, 1.0, 2.0, 3.0], threshold=1.0, min_std=0.1).round(3)
    array([  inf,   inf, 1.128, 1.128])
    """
    threshold = arguments.real("threshold", threshold, low=0.01, high=300)
    window = arguments.integer("window", window, low=2, high=100_000)
    gaps = np.diff(np.asarray(arrivals, dtype=float))
    # phi depends on the silence only through y = (silence - mean) / std, so the
    # threshold fixes one y for every gap: the timeout is mean + y * std.
    y = (theory.phi_timeout(threshold, 1.0, 1.0) if exact
         else akka_timeout(threshold, 1.0, 1.0)) - 1.0
    known = np.arange(gaps.size + 1)  # after arrival i, gaps[:i] are known
    first = np.maximum(known - window, 0)
    count = np.maximum(known - first, 1)
    sums = np.concatenate([[0.0], np.cumsum(gaps)])
    squares = np.concatenate([[0.0], np.cumsum(gaps**2)])
    mean = (sums[known] - sums[first]) / count
    variance = np.maximum((squares[known] - squares[first]) / count - mean**2, 0.0)
    std = np.maximum(np.sqrt(variance), min_std)
    with np.errstate(invalid="ignore"):
        timeouts = mean + acceptable_pause + y * std
    # Fewer than two gaps, or a perfectly regular history, give no spread to judge by.
    timeouts[(known < 2) | (std == 0.0)] = np.inf
    return timeouts


def akka_timeout(threshold: float, mean: float, std: float) -> float:
    """Return the silence at which Akka's approximate phi reaches *threshold*.

    Solved by bisection on :func:`reactive_lab.theory.phi_akka` (phi grows with silence).

    >>> exact = theory.phi_timeout(8.0, mean=4.0, std=0.1)
    >>> round(exact, 3), round(akka_timeout(8.0, mean=4.0, std=0.1), 3)
    (4.561, 4.523)
    """
    low, high = mean, mean + std
    while theory.phi_akka(high, mean, std) < threshold:
        high += (high - mean)
    for _ in range(60):
        middle = (low + high) / 2
        if theory.phi_akka(middle, mean, std) < threshold:
            low = middle
        else:
            high = middle
    return high


def judge(arrivals, *, timeout: float | None = None, timeouts=None,
          crash: float | None = None) -> Verdict:
    """Replay a detector over heartbeat *arrivals*: a fixed *timeout* or per-gap *timeouts*.

    A gap longer than the detector's timeout at its start is a false suspicion (the peer
    was alive: its next heartbeat came). After the last arrival, if the peer crashed at
    *crash*, the suspicion comes at last arrival + timeout.

    Examples
    --------
    >>> judge([1.0, 2.0, 4.0, 5.0], timeout=1.5, crash=5.2).false_suspicions
    1
    >>> round(judge([1.0, 2.0, 4.0, 5.0], timeout=1.5, crash=5.2).detection_time, 3)
    1.3
    """
    arrivals = np.asarray(arrivals, dtype=float)
    if (timeout is None) == (timeouts is None):
        raise ValueError("judge needs exactly one of timeout (seconds) or timeouts (an array)")
    limits = (np.full(arrivals.size, arguments.positive("timeout", timeout))
              if timeouts is None else np.asarray(timeouts, dtype=float))
    gaps = np.diff(arrivals)
    false = int(np.sum(gaps > limits[:-1]))
    detection = None
    if crash is not None and arrivals.size:
        detection = float(arrivals[-1] + limits[-1] - crash)
    return Verdict(gaps=int(gaps.size), false_suspicions=false, detection_time=detection)
