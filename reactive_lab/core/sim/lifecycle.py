"""Crashes, restarts, monitors and links: how processes die and how others find out.

In Erlang a process that crashes takes its state and its mailbox with it; the processes
that *monitor* it get a ``'DOWN'`` message, and those *linked* to it crash too, unless
they trap exits, in which case they get an ``'EXIT'`` message instead. Supervisors and
failure detectors are built on these two hooks. :class:`Lifecycle` gives a
:class:`~reactive_lab.core.sim.kernel.Simulation` the same four operations.

>>> from reactive_lab.core.sim import Simulation
>>> sim = Simulation()
>>> _ = sim.spawn("supervisor", lambda ctx, body: ctx.restart(body.process),
...               trap_exits=True)
>>> worker = sim.spawn("worker", lambda ctx, body: ctx.crash("bug"))
>>> sim.link("supervisor", "worker")
>>> _ = sim.post("cast", "worker", "worker", "go")
>>> sim.run(until=1.0)
>>> worker.alive, worker.outages
(True, [[0.0, 0.0]])
"""

from __future__ import annotations

from reactive_lab.core.sim.messages import Down, Message

__all__ = ["Lifecycle"]


class Lifecycle:
    """The crash, restart, monitor and link operations of a simulation (a mixin)."""

    def crash(self, name: str, reason="crash") -> None:
        """Crash process *name* (no effect if it is already down).

        >>> from reactive_lab.core.sim import Simulation
        >>> sim = Simulation()
        >>> p = sim.spawn("p", lambda ctx, body: None, init=lambda: {"count": 0})
        >>> p.state["count"] = 5
        >>> sim.crash("p"); p.alive, p.state
        (False, None)
        >>> sim.restart("p"); p.alive, p.state
        (True, {'count': 0})
        """
        process = self._process("name", name)
        if not process.alive:
            return
        self.stats.discarded += process.lose_everything()
        self.note("crash", detail=str(reason), process=name)
        watchers, linked = process.monitors, process.links
        process.monitors, process.links = set(), set()
        for watcher in sorted(watchers):
            self._signal(watcher, "down", Down(name, reason))
        for other in sorted(linked):
            self.endpoint(other).links.discard(name)
            if self.endpoint(other).trap_exits:
                self._signal(other, "exit", Down(name, reason))
            else:
                self.crash(other, reason=("linked", name))

    def _signal(self, to: str, kind: str, body) -> None:
        # Crash notices are not subject to loss: Erlang's distribution delivers them.
        process = self.endpoint(to)
        message = Message(next(self._ids), kind, body.process, to, body)
        self.stats.sent += 1
        self.stats.in_flight += 1
        self.after(0.0, self.network.arrive, (message, process))

    def restart(self, name: str) -> None:
        """Restart a crashed process *name* with fresh state (no effect if it is up).

        See :meth:`crash` for an example.
        """
        process = self._process("name", name)
        if process.alive:
            return
        process.come_back()
        self.note("restart", process=name)

    def monitor(self, watcher: str, target: str) -> None:
        """Send *watcher* a ``"down"`` message when *target* crashes (now, if it is down).

        >>> from reactive_lab.core.sim import Simulation
        >>> sim = Simulation()
        >>> _ = sim.spawn("watcher", lambda ctx, body: print(ctx.message.kind, body))
        >>> _ = sim.spawn("worker", lambda ctx, body: None)
        >>> sim.monitor("watcher", "worker")
        >>> sim.crash("worker", reason="disk full"); sim.run(until=1.0)
        down Down(process='worker', reason='disk full')
        """
        process = self.endpoint(target)
        self.endpoint(watcher)
        if process.alive:
            process.monitors.add(watcher)
        else:
            self._signal(watcher, "down", Down(target, "noproc"))

    def link(self, a: str, b: str) -> None:
        """Link *a* and *b*: when one crashes, the other crashes (or gets an ``"exit"``).

        >>> from reactive_lab.core.sim import Simulation
        >>> sim = Simulation()
        >>> a, b = (sim.spawn(n, lambda ctx, body: None) for n in "ab")
        >>> sim.link("a", "b"); sim.crash("a"); b.alive
        False
        """
        first, second = self.endpoint(a), self.endpoint(b)
        first.links.add(b)
        second.links.add(a)
