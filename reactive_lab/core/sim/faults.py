"""Fault schedules: crash a process or a whole node, at set times or at random, and restart.

A crash loses everything in memory: the process's state, its mailbox, the message it was
working on and the calls it was waiting for; messages that reach it while it is down
vanish. A restart brings it back with fresh state (its *init*), like a supervisor
restarting a child. Crashing a *node* crashes every process on it.

Random crashes alternate an up time drawn from *time_to_crash* (mean: the MTBF) and a down
time drawn from *time_to_restart* (mean: the MTTR), so in the long run the process is up
a fraction MTBF / (MTBF + MTTR) of the time; the tests hold it to that.

>>> from reactive_lab.core import Exponential
>>> from reactive_lab.core.sim import Simulation, crash_randomly
>>> sim = Simulation(seed=4)
>>> _ = sim.spawn("db", lambda ctx, body: None)
>>> crash_randomly(sim, "db", time_to_crash=Exponential(0.1), time_to_restart=Exponential(1.0))
>>> sim.run(until=1_000.0)
>>> len(sim.processes["db"].outages) > 50
True
"""

from __future__ import annotations

from reactive_lab.core import arguments

__all__ = ["crash_at", "crash_randomly", "partition"]


def _targets(sim, target) -> list[str]:
    if target in sim.processes and target not in {c.name for c in sim.clients}:
        return [target]
    nodes = {node: [n for n in names if n not in {c.name for c in sim.clients}]
             for node, names in sim.nodes().items()}
    if nodes.get(target):
        return nodes[target]
    raise ValueError(f"target must be a process or a node of this run (got {target!r}; "
                     f"processes: {', '.join(sorted(sim.processes))})")


def crash_at(sim, target: str, at: float, restart_after: float | None = None) -> None:
    """Crash *target* (a process or a node) at time *at*; restart it *restart_after* later.

    Parameters
    ----------
    sim : Simulation
    target : str
        A process name, or a node name (every process on it).
    at : float
        When, not before now.
    restart_after : float, optional
        Down time before the restart (None: stays down).

    Raises
    ------
    ValueError
        If *target* is unknown or a time is out of range.

    Examples
    --------
    >>> from reactive_lab.core.sim import Simulation
    >>> sim = Simulation()
    >>> _ = sim.spawn("a", lambda ctx, body: None)
    >>> crash_at(sim, "a", at=1.0, restart_after=2.0)
    >>> sim.run(until=5.0)
    >>> sim.processes["a"].outages
    [[1.0, 3.0]]
    """
    names = _targets(sim, target)
    at = arguments.real("at", at, low=sim.now)
    if restart_after is not None:
        restart_after = arguments.positive("restart_after", restart_after)

    def crash(_event):
        for name in names:
            sim.crash(name, reason="fault schedule")
        if restart_after is not None:
            sim.after(restart_after, restart)

    def restart(_event):
        for name in names:
            sim.restart(name)

    sim.after(at - sim.now, crash)


def crash_randomly(sim, target: str, *, time_to_crash, time_to_restart,
                   stop: float | None = None) -> None:
    """Crash and restart *target* forever (or until *stop*): up, down, up, down...

    Parameters
    ----------
    sim : Simulation
    target : str
        A process or a node.
    time_to_crash, time_to_restart : Distribution
        Up times (mean MTBF) and down times (mean MTTR).
    stop : float, optional
        No crash after this time.

    Raises
    ------
    ValueError
        If *target* is unknown or a distribution is missing.

    Examples
    --------
    >>> from reactive_lab.core import Deterministic
    >>> from reactive_lab.core.sim import Simulation
    >>> sim = Simulation()
    >>> _ = sim.spawn("a", lambda ctx, body: None)
    >>> crash_randomly(sim, "a", time_to_crash=Deterministic(2.0),
    ...                time_to_restart=Deterministic(1.0))
    >>> sim.run(until=7.0)
    >>> sim.processes["a"].outages
    [[2.0, 3.0], [5.0, 6.0]]
    """
    names = _targets(sim, target)
    up = sim.seeds.draws(arguments.sampler("time_to_crash", time_to_crash))
    down = sim.seeds.draws(arguments.sampler("time_to_restart", time_to_restart))
    stop = float("inf") if stop is None else arguments.positive("stop", stop)

    def crash(_event):
        if sim.now > stop:
            return
        for name in names:
            sim.crash(name, reason="random fault")
        sim.after(down(), restart)

    def restart(_event):
        for name in names:
            sim.restart(name)
        sim.after(up(), crash)

    sim.after(up(), crash)


def partition(sim, side_a, side_b=None, *, start: float, end: float) -> None:
    """Cut nodes *side_a* off from *side_b* (default: everyone else) from *start* to *end*.

    Messages between the sides vanish, both those sent during the partition and those in
    flight when it opens.

    >>> from reactive_lab.core.sim import Simulation
    >>> sim = Simulation()
    >>> partition(sim, ["n1"], start=1.0, end=2.0)
    >>> sim.network.partitions[0].cuts("n1", "n2", 1.5)
    True
    """
    sim.network.partition(side_a, side_b, start=start, end=end)
