"""Reliability block diagrams: groups of repairable parts, simulated and in closed form.

Picture three replicas of Relay's message store, each crashing now and then and coming
back after a repair. The store answers while a majority (2 of 3) is up. If the replicas
fail independently, the binomial formula :func:`reactive_lab.theory.k_of_n` gives that
availability; if they share a rack, a power feed or a bad release, the group can be no
more available than the thing they share. :func:`simulate_group` runs the group on
:mod:`reactive_lab.core.sim` and measures both.

>>> report = simulate_group(k=2, n=3, mtbf=100.0, mttr=10.0, until=2_000.0, seed=1)
>>> round(report.theory, 4)
0.9767
"""

# Taught in chapters/03-availability/index.md; keep names in sync.

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from reactive_lab import relay, theory
from reactive_lab.core import arguments
from reactive_lab.core.distributions import Exponential
from reactive_lab.core.sim import Simulation, crash_randomly

__all__ = ["TIERS", "GroupReport", "RelayBlocks", "relay_blocks", "simulate_group", "up_fraction"]

_BATCHES = 30


def up_fraction(sim, names, k: int | None = None, since: float = 0.0) -> float:
    """Return the fraction of the time from *since* to now when at least *k* of *names* were up.

    *k* defaults to all of them (a series system).

    Raises
    ------
    ValueError
        If *names* are not distinct processes of *sim* or *k* is out of range.

    Examples
    --------
    >>> from reactive_lab.core.sim import crash_at
    >>> sim = Simulation()
    >>> for name in ("a", "b"):
    ...     _ = sim.spawn(name, lambda ctx, body: None)
    >>> crash_at(sim, "a", at=1.0, restart_after=2.0)
    >>> crash_at(sim, "b", at=2.0, restart_after=2.0)
    >>> sim.run(until=10.0)
    >>> up_fraction(sim, ["a", "b"], k=1), up_fraction(sim, ["a", "b"])
    (0.9, 0.7)
    """
    names = arguments.distinct_names("names", names)
    k = len(names) if k is None else arguments.integer("k", k, low=1, high=len(names))
    since = arguments.real("since", since, low=0, high=sim.now, high_open=True)
    return _fraction_up(sim, [(names, k)], since)


def _fraction_up(sim, groups, since: float = 0.0) -> float:
    """Fraction of the time every group ``(names, k)`` had at least k members up."""
    changes = []
    for g, (names, _) in enumerate(groups):
        for name in names:
            for start, end in sim.endpoint(name).outages:
                changes.append((start, g, -1))
                changes.append((sim.now if end is None else end, g, +1))
    changes.sort()
    up = [len(names) for names, _ in groups]
    last, time_up = since, 0.0
    for time, g, step in changes + [(sim.now, 0, 0)]:
        time = min(max(time, since), sim.now)
        if all(count >= k for count, (_, k) in zip(up, groups)):
            time_up += time - last
        last = time
        up[g] += step
    return time_up / (sim.now - since)


@dataclass(frozen=True)
class GroupReport:
    """A simulated k-of-n group beside its closed form."""

    k: int
    n: int
    simulated: float
    """Fraction of the run with at least *k* replicas (and the shared part) up."""
    theory: float
    """``A_shared * k_of_n(k, n, A)`` with ``A = MTBF / (MTBF + MTTR)``."""
    up_fractions: np.ndarray
    """Each replica's own up fraction (to check MTBF / (MTBF + MTTR) per part)."""
    batch_fractions: np.ndarray
    """The group's up fraction in each of 30 equal slices of the run, for a batch-means
    confidence interval (:func:`reactive_lab.core.batch_means_ci`)."""


def simulate_group(k: int, n: int, mtbf: float, mttr: float, until: float, *,
                   shared_mtbf: float | None = None, shared_mttr: float = 0.0,
                   seed=None) -> GroupReport:
    """Run *n* replicas that crash and are repaired; measure when *k* or more are up.

    Up and repair times are exponential with means *mtbf* and *mttr*. With
    *shared_mtbf*, a shared dependency (a rack, a power feed) fails too, and while it is
    down the whole group is down, whatever the replicas do.

    Parameters
    ----------
    k, n : int
        Replicas needed and replicas run (1 <= k <= n <= 50).
    mtbf, mttr : float
        Mean up time and mean repair time of each replica.
    until : float
        Length of the run (its event budget bounds it too).
    shared_mtbf, shared_mttr : float, optional
        The shared dependency's mean up and repair times.
    seed : int, optional

    Raises
    ------
    ValueError
        If a parameter is out of range.

    Examples
    --------
    >>> r = simulate_group(k=1, n=2, mtbf=10.0, mttr=1.0, until=100.0, seed=2)
    >>> r.k, r.n, r.up_fractions.size
    (1, 2, 2)
    """
    n = arguments.integer("n", n, low=1, high=50)
    k = arguments.integer("k", k, low=1, high=n)
    mtbf = arguments.positive("mtbf", mtbf)
    mttr = arguments.positive("mttr", mttr)
    until = arguments.positive("until", until)
    sim = Simulation(seed=seed, record_queues=False)
    names = [f"replica{i + 1}" for i in range(n)]
    for name in names:
        sim.spawn(name, _idle)
        crash_randomly(sim, name, time_to_crash=Exponential(1.0 / mtbf),
                       time_to_restart=Exponential(1.0 / mttr))
    a_shared = 1.0
    if shared_mtbf is not None:
        shared_mtbf = arguments.positive("shared_mtbf", shared_mtbf)
        shared_mttr = arguments.positive("shared_mttr", shared_mttr)
        sim.spawn("shared", _idle)
        crash_randomly(sim, "shared", time_to_crash=Exponential(1.0 / shared_mtbf),
                       time_to_restart=Exponential(1.0 / shared_mttr))
        a_shared = theory.steady_state_availability(shared_mtbf, shared_mttr)
    sim.run(until=until)
    groups = [(names, k)] + ([(["shared"], 1)] if shared_mtbf is not None else [])
    simulated = _fraction_up(sim, groups)
    # Up time after each slice's start, differenced, gives each slice's up time.
    edges = np.linspace(0.0, sim.now, _BATCHES + 1)
    up_after = np.array([_fraction_up(sim, groups, e) * (sim.now - e) for e in edges[:-1]])
    batches = -np.diff(np.append(up_after, 0.0)) / np.diff(edges)
    return GroupReport(
        k=k, n=n, simulated=simulated,
        theory=a_shared * theory.k_of_n(k, n, theory.steady_state_availability(mtbf, mttr)),
        up_fractions=np.array([up_fraction(sim, [name]) for name in names]),
        batch_fractions=batches,
    )


def _idle(ctx, body) -> None:
    """A replica that only has to be up: its messages do not matter here."""


TIERS = ("front-end", "logic", "message store", "push gateway", "user directory")
"""Relay's tiers as a request meets them: every one must be up (they are in series)."""


@dataclass(frozen=True)
class RelayBlocks:
    """Relay's availability as a block diagram: tiers in series, replicas in parallel."""

    replicas: int
    node: float
    """One node's availability, MTBF / (MTBF + MTTR) from :mod:`reactive_lab.relay`."""
    tiers: dict
    """Availability of each tier: 1-of-n, except the message store, a majority of n."""
    shared: float
    """Availability of what every node shares (a rack, a network, a data centre)."""
    system: float
    """The product of the tiers and the shared dependency."""


def relay_blocks(replicas: int, shared: float = 1.0) -> RelayBlocks:
    """Return the availability of Relay with *replicas* nodes in every tier.

    A phone reconnects to any front-end, a front-end calls any logic node, the push
    gateway and the user directory need one replica, and the message store needs a
    majority (so that a write and a later read meet). Everything shares a dependency of
    availability *shared* (1: none). Replicas fail independently: that is the point the
    *shared* term corrects.

    Raises
    ------
    ValueError
        If *replicas* is not an int from 1 to 9 or *shared* not a probability.

    Examples
    --------
    >>> b = relay_blocks(1)
    >>> round(b.system, 4) == round(b.node ** 5, 4)
    True
    >>> relay_blocks(3).tiers["message store"] < relay_blocks(3).tiers["logic"]
    True
    """
    replicas = arguments.integer("replicas", replicas, low=1, high=9)
    shared = arguments.probability("shared", shared)
    node = theory.steady_state_availability(relay.NODE_MTBF_H, relay.NODE_MTTR_H)
    tiers = {tier: theory.k_of_n(replicas // 2 + 1 if tier == "message store" else 1,
                                 replicas, node)
             for tier in TIERS}
    return RelayBlocks(replicas=replicas, node=node, tiers=tiers, shared=shared,
                       system=theory.series(shared, *tiers.values()))
