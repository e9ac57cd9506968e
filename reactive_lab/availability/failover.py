"""Active-passive failover on the simulation core: detection, takeover, split brain, fencing.

Two nodes, *a* and *b*. The **active** one serves and sends the other a heartbeat every
*interval* seconds; the **passive** one (the standby) watches. When the standby has heard
nothing for *timeout* seconds it suspects the active, spends *takeover* seconds getting
ready (hot standby: its state is already in memory, a second or so; warm: it must load
state; cold: it must boot), then becomes active with a higher **epoch**. Every outage of
the active therefore costs detection plus takeover. A crashed node is repaired and comes
back as the standby.

A standby that suspects a live active (heartbeats delayed, or a partition between the two)
takes over anyway, and for a while two nodes both act as the active: **split brain**. Both
write to the shared store. With **fencing**, each write carries its writer's epoch (a
fencing token) and the store refuses a token older than the newest it has seen, so the
stale active's writes are rejected instead of silently overwriting the new one's.

>>> run = simulate_failover(mtbf=200.0, timeout=3.0, takeover=2.0, until=2_000.0, seed=1)
>>> run.failovers > 0, 0.9 < run.availability < 1.0
(True, True)
"""

# Taught in chapters/03-availability/redundancy.md; keep names in sync.

from __future__ import annotations

from dataclasses import dataclass

from reactive_lab import theory
from reactive_lab.core import arguments
from reactive_lab.core.distributions import Exponential, Uniform
from reactive_lab.core.sim import Simulation, partition

__all__ = ["NODES", "FailoverRun", "expected_detection", "simulate_failover"]

NODES = ("a", "b")
"""The two nodes; *a* starts as the active one."""


@dataclass(frozen=True)
class FailoverRun:
    """What one failover run measured."""

    availability: float
    """Fraction of the run during which a live node was the active one."""
    theory: float
    """``MTBF / (MTBF + E[detection] + takeover)``: exact when the standby is always up
    when needed (repair much shorter than MTBF) and no false suspicion happens."""
    downtimes: tuple
    """Length of each outage of the service that ended before the run did (seconds)."""
    failovers: int
    """Takeovers by a standby."""
    false_failovers: int
    """Takeovers while the old active was still alive."""
    split_brain_s: float
    """Seconds during which two live nodes both acted as the active one."""
    stale_writes: int
    """Writes the store accepted from an active that a newer epoch had replaced."""
    rejected_writes: int
    """Writes the store refused by their fencing token."""


def expected_detection(interval: float, jitter: float, timeout: float) -> float:
    """Return the mean time from a crash to the standby's suspicion.

    The last heartbeat was sent on average *interval*/2 before the crash and arrives
    after a mean delay of *jitter*/2; suspicion comes *timeout* after that arrival.

    >>> expected_detection(interval=1.0, jitter=0.2, timeout=3.0)
    2.6
    """
    return timeout + jitter / 2 - interval / 2


def simulate_failover(mtbf: float, timeout: float, takeover: float, until: float, *,
                      interval: float = 1.0, jitter: float = 0.1, repair: float = 60.0,
                      fencing: bool = True, partitions=(), seed=None) -> FailoverRun:
    """Run an active-passive pair with crashes (mean up time *mtbf*) for *until* seconds.

    The active node writes to the store with each heartbeat it sends, so a deposed active
    that still believes it leads writes once per *interval* until it hears of its successor.

    Parameters
    ----------
    mtbf : float
        Mean up time of each node (exponential).
    timeout : float
        Silence after which the standby suspects the active (more than *interval*).
    takeover : float
        Time from suspicion to serving (hot: about 1 s, warm: tens, cold: minutes).
    until : float
        Length of the run.
    interval, jitter : float
        Heartbeat period, and the spread of the network delay (uniform from 0).
    repair : float
        Time to bring a crashed node back, as the standby.
    fencing : bool
        Whether the store checks the writers' epochs.
    partitions : sequence of (start, end)
        Times when *a* and *b* cannot hear each other (both still reach the store).
    seed : int, optional

    Raises
    ------
    ValueError
        If a parameter is out of range.
    """
    mtbf = arguments.positive("mtbf", mtbf)
    interval = arguments.positive("interval", interval)
    timeout = arguments.real("timeout", timeout, low=interval, low_open=True)
    takeover = arguments.real("takeover", takeover, low=0)
    until = arguments.positive("until", until)
    jitter = arguments.real("jitter", jitter, low=0, high=interval, high_open=True)
    repair = arguments.positive("repair", repair)
    sim = Simulation(seed=seed, latency=Uniform(0.0, jitter) if jitter else None,
                     record_queues=False)
    log = {"activations": [], "steps_down": [], "newest": 0}
    store = {"token": 0, "stale": 0, "rejected": 0}

    def node(ctx, body):
        state, other = ctx.state, "b" if ctx.me == "a" else "a"
        if body == "tick" and state["role"] == "active":
            ctx.send(other, ("heartbeat", state["epoch"]))
            ctx.send("store", ("write", state["epoch"]))
            ctx.timer(interval, "tick")
        elif isinstance(body, tuple) and body[0] == "heartbeat":
            if state["role"] == "active" and body[1] > state["epoch"]:
                state["role"] = "passive"  # a newer active exists: step down
                log["steps_down"].append((ctx.me, ctx.now))
            if state["role"] == "passive":
                state["heard"] += 1
                ctx.timer(timeout, ("check", state["heard"]))
        elif isinstance(body, tuple) and body[0] == "check":
            if state["role"] == "passive" and body[1] == state["heard"]:
                ctx.timer(takeover, ("take over", state["heard"]))
        elif (isinstance(body, tuple) and body[0] == "take over"
              and state["role"] == "passive" and body[1] == state["heard"]):
            log["newest"] += 1
            state.update(role="active", epoch=log["newest"])
            rival = sim.processes[other]
            log["activations"].append((ctx.me, ctx.now,
                                       rival.alive and rival.state["role"] == "active"))
            ctx.timer(0.0, "tick")

    def storage(ctx, body):
        _, epoch = body
        if fencing and epoch < store["token"]:
            store["rejected"] += 1
            return
        store["token"] = max(store["token"], epoch)
        store["stale"] += epoch < log["newest"]

    def passive():
        return {"role": "passive", "epoch": 0, "heard": 0}

    for name in NODES:
        sim.spawn(name, node, init=passive)
        _crash_and_repair(sim, name, sim.seeds.draws(Exponential(1.0 / mtbf)), repair,
                          timeout)
    sim.spawn("store", storage)
    sim.processes["a"].state.update(role="active")
    log["activations"].append(("a", 0.0, False))
    sim.start_timer("a", 0.0, "tick")
    sim.start_timer("b", timeout, ("check", 0))  # a standby that never hears suspects too
    for start, end in partitions:
        partition(sim, ["a"], ["b"], start=start, end=end)
    sim.run(until=until)
    intervals = _active_intervals(sim, log)
    return FailoverRun(
        availability=_covered(intervals, until) / until,
        theory=theory.steady_state_availability(
            mtbf, expected_detection(interval, jitter, timeout) + takeover),
        downtimes=tuple(_gaps(intervals)),
        failovers=len(log["activations"]) - 1,
        false_failovers=sum(other_alive for _, _, other_alive in log["activations"][1:]),
        split_brain_s=_overlap(intervals),
        stale_writes=store["stale"],
        rejected_writes=store["rejected"],
    )


def _crash_and_repair(sim, name, up_time, repair, timeout) -> None:
    """Crash *name* after each up time; *repair* later it is back as a watching standby."""

    def crash(_event):
        sim.crash(name, reason="node failure")
        sim.after(repair, restart)

    def restart(_event):
        sim.restart(name)
        # A repaired standby watches from the start: silence from now on is suspicious.
        sim.start_timer(name, timeout, ("check", 0))
        sim.after(up_time(), crash)

    sim.after(up_time(), crash)


def _active_intervals(sim, log):
    """[(start, end)] for each activation: it ends at the node's next crash or step-down."""
    intervals = []
    for name, start, _ in log["activations"]:
        ends = [t for t, _ in sim.processes[name].outages if t >= start]
        ends += [t for who, t in log["steps_down"] if who == name and t >= start]
        intervals.append((start, min(ends, default=sim.now)))
    return intervals


def _covered(intervals, until) -> float:
    covered, reach = 0.0, 0.0
    for start, end in sorted(intervals):
        start = max(start, reach)
        if end > start:
            covered += end - start
            reach = end
    return covered


def _gaps(intervals) -> list[float]:
    gaps, reach = [], None
    for start, end in sorted(intervals):
        if reach is not None and start > reach:
            gaps.append(start - reach)
        reach = end if reach is None else max(reach, end)
    return gaps


def _overlap(intervals) -> float:
    total = sum(end - start for start, end in intervals)
    return total - _covered(intervals, None)
