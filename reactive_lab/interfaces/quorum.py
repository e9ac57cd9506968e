"""Quorum reads and writes on the simulation core: latency, staleness and availability.

Picture a coordinator and *N* replicas of one key, each replica on its own node with its
own network delay, drawn from one distribution for all replicas or from each replica's
own (one replica in a remote data centre, say). A write of version *v* goes to the
replicas and is acknowledged when *W* have stored it; a read asks replicas and answers
with the newest version among the first *R* replies. Two ways to pick the replicas:

``spread=True`` (Dynamo, Cassandra, Riak)
    every write and read goes to all *N*; the operation waits for the *W* (or *R*)
    fastest. A write keeps spreading after it is acknowledged, so a read soon after may be
    stale, later less so: Bailis et al.'s *t-visibility*, measured by *read_after*.
``spread=False`` (the PBS *k*-staleness model)
    a write reaches *W* replicas picked at random and nothing spreads it further; a read
    asks *R* random replicas. The chance of a stale read is
    :func:`reactive_lab.theory.k_staleness`.

Replica stores are durable (a crashed replica keeps its data); with ``up < 1`` each
replica is down, independently, for each operation, which must then find its quorum among
the others or fail: :func:`reactive_lab.theory.quorum_availability`.

>>> import reactive_lab as rl
>>> run = quorum_run(3, r=1, w=1, latency=rl.core.Exponential(1.0), operations=300,
...                  spread=False, seed=1)
>>> round(rl.theory.k_staleness(3, 1, 1), 3), 0.55 < run.stale_rate < 0.78
(0.667, True)
"""

# Taught in chapters/02-interfaces/state.md; keep names in sync.

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from reactive_lab.core import arguments
from reactive_lab.core.sim import Simulation

__all__ = ["QuorumRun", "quorum_run"]


@dataclass(frozen=True)
class QuorumRun:
    """What each operation of a quorum run saw."""

    n: int
    r: int
    w: int
    operations: int
    write_latency: np.ndarray
    """Time to W acknowledgements, for each write that got them."""
    read_latency: np.ndarray
    """Time to R replies, for each read that got them."""
    staleness: np.ndarray
    """For each read: versions behind the write just acknowledged (0: fresh)."""
    writes_failed: int
    """Writes that did not reach W live replicas (unavailable)."""

    @property
    def stale_rate(self) -> float:
        """Share of reads that missed the latest acknowledged write."""
        return float(np.mean(self.staleness > 0)) if self.staleness.size else 0.0


def quorum_run(n: int, r: int, w: int, latency, operations: int = 500, read_after=0.0,
               spread: bool = True, up: float = 1.0, seed=None) -> QuorumRun:
    """Run *operations* writes, each followed *read_after* later by a read; return latencies.

    Writes are coordinated by one node and reads by another (as when any node of a Dynamo
    ring may coordinate), so a read never queues behind the write on a FIFO link. A
    coordinator's message to replica *i* takes a draw of *latency*, or of ``latency[i]``
    when it is a list (the whole round trip: replies come back at once), so a write's
    latency is the *W*-th fastest of its draws, distributed as
    :func:`reactive_lab.theory.quorum_latency_cdf` says for the same *latency*.
    Operations are spaced far apart, so they never overlap.

    Parameters
    ----------
    n : int
        Replicas, 1 to 9.
    r, w : int
        Read and write quorums, 1 to *n*.
    latency : Distribution or list of Distribution
        One replica's round trip, the same for all replicas; or a list of *n*, one for
        each replica, ``latency[i]`` for replica ``i + 1``. Each needs ``ppf`` (to space
        the operations) besides ``sample``.
    operations : int, default 500
        Write-then-read pairs, 10 to 20,000.
    read_after : float, default 0
        Delay from a write's acknowledgement to the read (t in t-visibility).
    spread : bool, default True
        Send to all *n* replicas (True) or to *w* and *r* chosen at random (False).
    up : float, default 1
        Probability each replica is up for an operation, from 0 to 1.
    seed : int, optional

    Raises
    ------
    ValueError
        If a parameter is out of range, or *latency* is neither a distribution nor a list
        of *n* distributions.

    Examples
    --------
    >>> from reactive_lab.core import Deterministic
    >>> run = quorum_run(3, 2, 2, Deterministic(1.0), operations=10)
    >>> run.stale_rate, float(run.write_latency.max()), run.writes_failed
    (0.0, 1.0, 0)

    Two replicas nearby and one far away: with *W* = 2 a write waits for the two near
    ones; with *W* = 3, for the far one.

    >>> sites = [Deterministic(1.0), Deterministic(1.0), Deterministic(40.0)]
    >>> [float(quorum_run(3, 1, w, sites, operations=10).write_latency.max()) for w in (2, 3)]
    [1.0, 40.0]
    """
    n = arguments.integer("n", n, low=1, high=9)
    r = arguments.integer("r", r, low=1, high=n)
    w = arguments.integer("w", w, low=1, high=n)
    _, latencies = arguments.samplers("latency", latency, n, needs=("ppf",), parts="replicas")
    operations = arguments.integer("operations", operations, low=10, high=20_000)
    read_after = arguments.real("read_after", read_after, low=0)
    up = arguments.probability("up", up)
    sim = Simulation(seed=seed, record_queues=False)
    replicas = [f"replica{i + 1}" for i in range(n)]
    stores = dict.fromkeys(replicas, 0)  # durable: survives a crash of its replica
    for name, trip in zip(replicas, latencies):
        sim.spawn(name, _replica(stores))
        for coordinator in ("writer", "reader"):
            sim.network.connect(coordinator, name, both_ways=False, latency=trip)
            sim.network.connect(name, coordinator, both_ways=False, latency=None)
    record = {"write": [], "read": [], "stale": []}
    uniform = sim.seeds.uniforms()
    generator = sim.seeds.generator()
    handler = _coordinator(n, r, w, read_after, spread, replicas, record, generator)
    sim.spawn("writer", handler, init=dict)
    sim.spawn("reader", handler, init=dict)
    gap = 20 * max(float(trip.ppf(0.999)) for trip in latencies) + read_after + 1.0
    for version in range(1, operations + 1):
        sim.after(gap * version, _start, (sim, replicas, up, uniform, version))
    sim.run(until=gap * (operations + 2))
    return QuorumRun(n, r, w, operations, np.asarray(record["write"]),
                     np.asarray(record["read"]), np.asarray(record["stale"]),
                     operations - len(record["write"]))


def _start(event):
    """Decide which replicas are down for this operation, then start its write."""
    sim, replicas, up, uniform, version = event.value
    for name in replicas:
        (sim.restart if uniform() < up else sim.crash)(name)
    sim.start_timer("writer", 0.0, {"op": "begin", "version": version})


def _replica(stores):
    def replica(ctx, body):
        if body["op"] == "write":
            stores[ctx.me] = max(stores[ctx.me], body["version"])
        ctx.send(ctx.message.sender, {**body, "op": body["op"] + "_ok", "has": stores[ctx.me]})

    return replica


def _coordinator(n, r, w, read_after, spread, replicas, record, generator):
    """Fan out writes and reads, count replies, record latency and staleness."""

    def targets(quorum):
        if spread:
            return replicas
        return [replicas[i] for i in generator.choice(n, size=quorum, replace=False)]

    def coordinator(ctx, body):
        op, version = body["op"], body["version"]
        if op == "read" and ctx.me == "writer":
            ctx.send("reader", body)  # the read is another node's to coordinate
            return
        if op in ("begin", "read"):
            kind = "write" if op == "begin" else "read"
            ctx.state = {"kind": kind, "version": version, "start": ctx.now, "replies": [],
                         "done": False}
            for name in targets(w if kind == "write" else r):
                ctx.send(name, {"op": kind, "version": version})
            return
        current = ctx.state
        if current.get("version") != version or current["done"] or \
                op != current["kind"] + "_ok":
            return  # a reply to an earlier operation, or beyond the quorum
        current["replies"].append(body["has"])
        needed = w if current["kind"] == "write" else r
        if len(current["replies"]) < needed:
            return
        current["done"] = True
        if current["kind"] == "write":
            record["write"].append(ctx.now - current["start"])
            ctx.timer(read_after, {"op": "read", "version": version})
        else:
            record["read"].append(ctx.now - current["start"])
            record["stale"].append(version - max(current["replies"]))

    return coordinator
