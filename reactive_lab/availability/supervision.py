"""Supervisors on the simulation core: restart strategies, restart intensity, escalation.

An OTP supervisor is a process whose only job is to watch its children and restart them
when they crash. It has a **strategy** (which children to restart when one dies:
``one_for_one`` just that one, ``one_for_all`` every child, ``rest_for_one`` that one and
every child started after it) and a **restart intensity**: if more than *intensity*
restarts happen within *period* seconds, it stops trying, terminates its children and
exits with reason ``shutdown``. Its own supervisor sees it crash and applies *its*
policy: the failure **escalates** up the tree, to a bigger restart, and at the top, to
the node going down. OTP's defaults are one_for_one, intensity 1, period 5 s.

>>> from reactive_lab.core.sim import Simulation
>>> sim = Simulation(seed=1)
>>> root = Supervisor(sim, "root", [Worker("db", DeterministicFault(at=1.0, crash_after=0.1))])
>>> sim.run(until=10.0)
>>> root.restarts, [round(t, 3) for t in root.gave_up]  # one restart; the 2nd crash ends it
(1, [1.2])

OTP reads its clock in whole seconds when it counts restarts (``erlang:monotonic_time(1)``):
a restart at *t* is still counted at *now* while ``floor(t) >= floor(now) - period``. So
the window is between *period* and *period* + 1 seconds long; *clock_resolution* = 1
copies that, 0 counts in exact time (what the closed forms assume).
"""

# Taught in chapters/03-availability/supervision.md; keep names in sync.

from __future__ import annotations

import math

from reactive_lab.availability.faults import CRASH, DeterministicFault, TransientFault
from reactive_lab.core import arguments

__all__ = ["STRATEGIES", "Supervisor", "Worker"]

STRATEGIES = ("one_for_one", "one_for_all", "rest_for_one")
"""OTP's restart strategies (``simple_one_for_one`` is one_for_one for identical children)."""


class Worker:
    """A supervised child that does nothing but live until its *fault* crashes it.

    Parameters
    ----------
    name : str
        Its process name.
    fault : TransientFault, DeterministicFault or None
        What crashes it (None: nothing does).

    Examples
    --------
    >>> Worker("cache", TransientFault(60.0)).name
    'cache'
    """

    def __init__(self, name: str, fault=None):
        self.name = name
        if fault is not None:
            arguments.instance("fault", fault, (TransientFault, DeterministicFault),
                               "a TransientFault, a DeterministicFault or None")
        self.fault = fault
        self.sim = None
        self._draw = None

    def spawn(self, sim, node: str | None) -> None:
        """Start it for the first time in *sim* (called by its supervisor)."""
        self.sim = sim
        sim.spawn(self.name, _crash_on_timer, node=node)
        self._draw = self.fault.stream(sim) if self.fault is not None else None
        self._arm()

    def start(self) -> None:
        """Restart it after a crash (nothing if it is up)."""
        if self.sim.processes[self.name].alive:
            return
        self.sim.restart(self.name)
        self._arm()

    def terminate(self) -> None:
        """Stop it, as a supervisor does with ``shutdown``."""
        self.sim.crash(self.name, reason="shutdown")

    def _arm(self) -> None:
        if self.fault is not None:
            now = self.sim.now
            self.sim.start_timer(self.name, self.fault.next_crash(self.sim, now, self._draw)
                                 - now, CRASH)


def _crash_on_timer(ctx, body) -> None:
    if body == CRASH:
        ctx.crash("fault")


class Supervisor:
    """A supervisor process over *children* (workers or supervisors), in start order.

    Parameters
    ----------
    sim : Simulation or None
        The run to start it in now; None for a supervisor that is itself a child (its
        parent starts it).
    name : str
        Its process name.
    children : list of Worker or Supervisor
        At least one, with distinct names.
    strategy : {"one_for_one", "one_for_all", "rest_for_one"}
    intensity : int, default 1
        Restarts allowed within *period*, 0 to 1,000.
    period : float, default 5
        The window, in seconds (at least 1: OTP's period is a whole number of seconds).
    restart_time : float, default 0
        How long a restarted child takes to come back up (its ``init``).
    reboot_after : float or None
        For a top supervisor: when it gives up, the whole tree starts again this long
        later (what ``heart`` or systemd does for the node). None: it stays down.
    clock_resolution : {1.0, 0.0}
        1: count restarts in whole seconds, as OTP does; 0: in exact time.
    policy : callable, optional
        ``policy(restarts, now, intensity, period) -> bool`` decides instead of OTP's
        rule whether to restart (*restarts*: the times of the earlier restarts, as a
        list); False makes the supervisor give up. Lab 3 runs a learner's rule here.

    Attributes
    ----------
    restarts : int
        Restart decisions taken (a one_for_all restart of three children counts once,
        as OTP counts it).
    child_restarts : int
        Children restarted, summed over those decisions (each one lost its state).
    gave_up : list of float
        When it exceeded its intensity.

    Raises
    ------
    ValueError
        If a parameter is out of range.
    """

    def __init__(self, sim, name: str, children, *, strategy: str = "one_for_one",
                 intensity: int = 1, period: float = 5.0, restart_time: float = 0.0,
                 reboot_after: float | None = None, clock_resolution: float = 1.0,
                 policy=None):
        self.name = name
        self.children = list(children)
        arguments.distinct_names("children", [c.name for c in self.children])
        self.strategy = arguments.choice("strategy", strategy, STRATEGIES)
        self.intensity = arguments.integer("intensity", intensity, low=0, high=1_000)
        self.period = arguments.real("period", period, low=1)
        self.restart_time = arguments.real("restart_time", restart_time, low=0)
        self.reboot_after = (None if reboot_after is None
                             else arguments.positive("reboot_after", reboot_after))
        self.clock_resolution = arguments.choice("clock_resolution", float(clock_resolution),
                                                 (0.0, 1.0))
        if policy is not None and not callable(policy):
            raise ValueError(f"policy must be a function (restarts, now, intensity, period) "
                             f"-> bool (got {policy!r})")
        self.policy = policy
        self._history: list[float] = []
        self.restarts = 0
        self.child_restarts = 0
        self.gave_up: list[float] = []
        self.sim = None
        self._recent: list[float] = []
        self._terminating: set[str] = set()  # stopped by us: their exit is no crash
        self._pending: set[str] = set()  # waiting out restart_time
        if sim is not None:
            self.spawn(sim, None)

    # -- the child protocol (a supervisor can be another supervisor's child) ----------

    def spawn(self, sim, node: str | None) -> None:
        """Start it and its children for the first time in *sim*."""
        self.sim = sim
        node = node or self.name
        sim.spawn(self.name, self._handle, node=node)
        for child in self.children:
            # Children share their supervisor's node: a node crash takes the tree down.
            child.spawn(sim, node)
            sim.monitor(self.name, child.name)

    def start(self) -> None:
        """Start it again after it exited, with a clean restart history, and its children."""
        if self.sim.processes[self.name].alive:
            return
        self.sim.restart(self.name)
        self._recent, self._terminating, self._pending = [], set(), set()
        self._history = []
        for child in self.children:
            child.start()
            self.sim.monitor(self.name, child.name)

    def terminate(self) -> None:
        """Terminate its children, then exit with ``shutdown``."""
        self._terminate(self.children)
        self.sim.crash(self.name, reason="shutdown")

    # -- reacting to a child's exit ----------------------------------------------------

    def _handle(self, ctx, body) -> None:
        if ctx.message.kind != "down":
            return
        child = body.process
        if child in self._terminating:  # we stopped it ourselves: not a crash
            self._terminating.discard(child)
            return
        if self.sim.processes[child].alive or child in self._pending:
            return  # news of a copy already replaced (OTP ignores an EXIT from an old pid)
        if not self._allow_restart():
            self.gave_up.append(self.sim.now)
            self._terminate(self.children)
            if self.reboot_after is not None:  # before crashing: a crash ends the handler
                self.sim.after(self.reboot_after, lambda _event: self.start())
            ctx.crash("shutdown")
            return
        self.restarts += 1
        group = self._restart_group(child)
        self._terminate([c for c in group if c.name != child])
        self._pending.update(c.name for c in group)
        incarnation = self.sim.processes[self.name].incarnation
        self.sim.after(self.restart_time, self._restart, (incarnation, group))

    def _allow_restart(self) -> bool:
        """OTP's add_restart: keep the restarts still in the window, add now, compare."""
        if self.policy is not None:
            allowed = bool(self.policy(list(self._history), self.sim.now, self.intensity,
                                       self.period))
            if allowed:
                self._history.append(self.sim.now)
            return allowed
        now = self.sim.now
        if self.clock_resolution:
            now = math.floor(now / self.clock_resolution) * self.clock_resolution
        threshold = now - self.period
        self._recent = [t for t in self._recent if t >= threshold] + [now]
        return len(self._recent) <= self.intensity

    def _restart_group(self, child: str):
        index = [c.name for c in self.children].index(child)
        if self.strategy == "one_for_one":
            return [self.children[index]]
        if self.strategy == "one_for_all":
            return list(self.children)
        return self.children[index:]

    def _terminate(self, children) -> None:
        for other in reversed(children):  # OTP stops children in reverse start order
            if self.sim.processes[other.name].alive:
                self._terminating.add(other.name)
                other.terminate()

    def _restart(self, event) -> None:
        incarnation, group = event.value
        if self.sim.processes[self.name].incarnation != incarnation:
            return  # the supervisor itself went down meanwhile
        self.child_restarts += len(group)
        for child in group:
            self._pending.discard(child.name)
            child.start()
            self.sim.monitor(self.name, child.name)
