"""Synchronous and asynchronous replication: what a crash of the primary loses.

Picture Relay's message store: a primary node takes each write and a replica on another
node keeps a copy. **Synchronous**: the primary acknowledges a write only after the
replica has confirmed it, so every acknowledged write survives the primary's crash, and
each write pays a round trip to the replica. **Asynchronous**: the primary acknowledges at
once and ships the write afterwards (at once, or in batches every *ship_every*); a crash
loses the writes acknowledged but not yet on the replica. How many? Writes arrive at rate
λ and each spends a mean ``E[lag]`` acknowledged but not replicated, so by Little's law a
crash at a random moment loses ``λ · E[lag]`` writes on average. The lag is the wait for
the next batch (``ship_every / 2`` on average) plus the trip to the replica, which is at
least one network delay: the link is FIFO, like TCP, so a write stuck behind a slow one
waits for it too.

>>> import reactive_lab as rl
>>> r = replication_report("async", write_rate=0.5, lag=rl.relay.REPLICATION_MS,
...                        writes=4_000, seed=1)
>>> round(r.mean_lag, 1), round(r.lost_theory, 2)   # FIFO: above the 2 ms mean delay
(2.8, 1.4)
>>> abs(r.mean_lost - r.lost_theory) < 0.15
True
"""

# Taught in chapters/02-interfaces/state.md; keep names in sync.

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from reactive_lab.core import arguments
from reactive_lab.core.distributions import Exponential
from reactive_lab.core.sim import Simulation, open_loop

__all__ = ["MODES", "ReplicationReport", "replication_report"]

MODES = ("sync", "async")

_CRASH_INSTANTS = 400
"""Crash moments each run is judged at (a crash at T does not change what came before)."""


@dataclass(frozen=True)
class ReplicationReport:
    """Acknowledgement latency and what a crash of the primary would lose."""

    mode: str
    write_rate: float
    ship_every: float
    acked: np.ndarray
    """When the primary acknowledged each write."""
    replicated: np.ndarray
    """When the replica applied each write (inf if it never did)."""
    ack_latency: np.ndarray
    """Client-seen latency of each write."""
    lost: np.ndarray
    """Writes acknowledged but not on the replica, at each of the crash instants."""
    window: np.ndarray
    """Age of the oldest such write at each crash instant (0 if none): time of data lost."""
    mean_lag: float
    """Mean time from acknowledgement to the replica, over replicated writes (0 if sync)."""

    @property
    def lost_theory(self) -> float:
        """Little's law: ``λ · E[lag]`` writes exposed at a random moment (0 for sync)."""
        return self.write_rate * self.mean_lag

    @property
    def mean_lost(self) -> float:
        """Mean writes a crash at a random moment loses."""
        return float(self.lost.mean())


def replication_report(mode: str, write_rate: float, lag, ship_every: float = 0.0,
                       writes: int = 2_000, seed=None) -> ReplicationReport:
    """Replicate *writes* writes from a primary to a replica; judge crashes at many moments.

    Parameters
    ----------
    mode : {"sync", "async"}
    write_rate : float
        Writes per unit time (Poisson), 0.001 to 100.
    lag : Distribution
        One-way delay from primary to replica (and back, for the confirmation).
    ship_every : float, default 0
        Async only: ship in batches this often (0: each write at once).
    writes : int, default 2,000
        Writes to simulate, 100 to 100,000.
    seed : int, optional

    Raises
    ------
    ValueError
        If a parameter is out of range.

    Examples
    --------
    >>> from reactive_lab.core import Deterministic
    >>> r = replication_report("sync", 1.0, Deterministic(1.0), writes=200, seed=0)
    >>> r.mean_lost, float(np.median(r.ack_latency))    # nothing lost; a 2-unit round trip
    (0.0, 2.0)
    >>> r = replication_report("async", 0.5, Deterministic(1.0), ship_every=4.0, seed=0)
    >>> round(r.mean_lag, 1)                            # 1 + 4 / 2: batch wait, then the trip
    3.0
    """
    mode = arguments.choice("mode", mode, MODES)
    write_rate = arguments.real("write_rate", write_rate, low=0.001, high=100)
    arguments.sampler("lag", lag)
    ship_every = arguments.real("ship_every", ship_every, low=0)
    writes = arguments.integer("writes", writes, low=100, high=100_000)
    sim = Simulation(seed=seed, record_queues=False)
    acked: dict = {}
    replicated: dict = {}

    def replica(ctx, body):
        for key in body if isinstance(body, list) else [body]:
            replicated.setdefault(key, ctx.now)
        if ctx.message.reply_to is not None:
            ctx.reply("stored")

    sim.spawn("replica", replica)
    sim.spawn("primary", _primary(mode, ship_every, acked), init=list, workers=1_000)
    sim.network.connect("primary", "replica", latency=lag)
    clients = open_loop(sim, "primary", interarrival=Exponential(write_rate),
                        requests=writes, body=lambda key: key)
    if mode == "async" and ship_every > 0:
        sim.start_timer("primary", ship_every, "ship")
    end = writes / write_rate
    sim.run(until=end * 1.5 + 100 * lag.mean + 2 * ship_every + 1.0)
    keys = np.asarray(clients.ids)
    a = np.array([acked.get(k, np.inf) for k in keys])
    b = np.array([replicated.get(k, np.inf) for k in keys])
    lost, window = _crash_losses(a, b, end, sim.seeds.generator())
    lagging = np.isfinite(b) & (b > a)
    return ReplicationReport(
        mode=mode, write_rate=write_rate, ship_every=ship_every, acked=a, replicated=b,
        ack_latency=np.asarray(clients.ends) - np.asarray(clients.starts), lost=lost,
        window=window, mean_lag=float((b - a)[lagging].sum() / max(np.isfinite(b).sum(), 1)),
    )


def _primary(mode, ship_every, acked):
    def primary(ctx, body):
        if body == "ship":  # the batch timer
            if ctx.state:
                ctx.send("replica", list(ctx.state))
                ctx.state = []
            ctx.timer(ship_every, "ship")
        elif mode == "sync":
            def confirmed(ctx, reply):
                acked[body] = ctx.now
                ctx.reply("ok")

            ctx.call("replica", body, timeout=1e12, then=confirmed)
        else:
            acked[body] = ctx.now
            ctx.reply("ok")
            if ship_every > 0:
                ctx.state.append(body)
            else:
                ctx.send("replica", body)

    return primary


def _crash_losses(acked, replicated, end, generator):
    """Writes acknowledged but not replicated, and the oldest one's age, at random crashes."""
    instants = np.sort(generator.uniform(0.1 * end, 0.9 * end, _CRASH_INSTANTS))
    exposed = (acked[None, :] <= instants[:, None]) & (replicated[None, :] > instants[:, None])
    lost = exposed.sum(axis=1).astype(float)
    oldest = np.where(exposed, acked[None, :], np.inf).min(axis=1)
    window = np.where(np.isfinite(oldest), instants - oldest, 0.0)
    return lost, window
