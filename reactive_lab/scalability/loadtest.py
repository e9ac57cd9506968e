"""A load test of a Relay logic cluster, the data a Universal Scalability Law fit needs.

Picture N logic nodes behind a balancer. Each message costs a node its routing work,
then it must briefly hold one cluster-wide lock (a sequence number for the conversation:
the *contention*), and while holding it, tell every *other* node (so they agree on the
order: the *coherency* cost, which makes the serial part longer as the cluster grows).
Users in a closed loop keep every node busy, so what the test measures at each size is
the cluster's saturation throughput: the curve the USL describes.

The simulation does not *contain* the USL formula; it contains the mechanisms (a
queue for the shared lock, work that grows with the cluster), and the fit recovers
contention and coherency coefficients from the measurements alone.

>>> t = load_test(sizes=(1, 2), seconds=2.0, seed=1)
>>> t.sizes.tolist(), bool(t.throughput[1] > 1.5 * t.throughput[0])
([1, 2], True)
"""

# Taught in chapters/04-scalability/scaling.md; keep names in sync.

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from reactive_lab import relay
from reactive_lab.core import arguments
from reactive_lab.core.distributions import Exponential
from reactive_lab.core.sim import Simulation, closed_loop, requests

__all__ = ["COHERENCY_MS", "LOCK_MS", "SIZES", "LoadTest", "load_test", "relay_load_test"]

SIZES = (1, 2, 3, 4, 6, 8, 12, 16, 20, 24, 32)
"""Cluster sizes the chapter's load test measures."""
LOCK_MS = 0.3
"""Time (ms) a message holds the cluster-wide lock in a cluster of one."""
COHERENCY_MS = 0.02
"""Extra time (ms) the lock is held per other node that must be told."""
USERS_PER_NODE = 4
"""Closed-loop users per node: enough to keep every node saturated."""


@dataclass(frozen=True)
class LoadTest:
    """Measured saturation throughput (messages/s) at each cluster size."""

    sizes: np.ndarray
    throughput: np.ndarray
    seconds: float


def _node(ctx, body):
    ctx.call("lock", body, timeout=60.0, then=lambda ctx, _: ctx.reply("routed"))


def _throughput(nodes: int, seconds: float, seed) -> float:
    sim = Simulation(seed=seed, record_queues=False)
    hold_ms = LOCK_MS + COHERENCY_MS * (nodes - 1)
    sim.spawn("lock", lambda ctx, body: ctx.reply("held"), service=Exponential(1000 / hold_ms))
    for i in range(nodes):
        sim.spawn(f"logic{i}", _node, service=Exponential(relay.LOGIC_SERVICE_RATE))
        closed_loop(sim, f"logic{i}", users=USERS_PER_NODE, think=Exponential(1000.0),
                    name=f"users{i}")
    sim.run(until=seconds)
    warm = seconds / 4
    done = requests(sim, since=warm)
    finished = done.ok & (done.ends <= seconds)
    return float(finished.sum() / (seconds - warm))


def load_test(sizes=SIZES, seconds: float = 3.0, seed=None) -> LoadTest:
    """Measure the cluster's saturation throughput at each size in *sizes*.

    Parameters
    ----------
    sizes : sequence of int
        Cluster sizes, each from 1 to 64.
    seconds : float
        Simulated seconds per size (a quarter is warm-up), above 0 and at most 60.
    seed : int, optional
        Each size runs on its own stream derived from it.

    Returns
    -------
    LoadTest

    Raises
    ------
    ValueError
        If a size or *seconds* is out of range.
    """
    sizes = [arguments.integer("sizes", n, low=1, high=64) for n in sizes]
    seconds = arguments.real("seconds", seconds, low=0, high=60, low_open=True)
    streams = np.random.SeedSequence(seed).spawn(len(sizes))
    measured = [_throughput(n, seconds, int(s.generate_state(1)[0]))
                for n, s in zip(sizes, streams)]
    return LoadTest(np.asarray(sizes), np.asarray(measured), seconds)


@lru_cache(maxsize=4)
def relay_load_test(seed: int = 2026) -> LoadTest:
    """Return the chapter's load test (all :data:`SIZES`, 3 s each), computed once.

    The page, its explorable and the lab read the same data, so it is cached.
    """
    return load_test(SIZES, seconds=3.0, seed=seed)
