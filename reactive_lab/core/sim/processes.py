"""Processes: a mailbox, one or more workers, and a handler that reacts to each message.

Picture an Erlang process, or an OTP ``gen_server``: it owns some state, it has a mailbox
where messages wait in arrival order, and it takes them one at a time. Taking one costs
*service* time (drawn from a distribution); then its *handler* runs and may send messages,
reply, start a timer, call another process and wait, or crash. With ``workers=c`` the same
mailbox feeds *c* workers, like a pool (and a Poisson stream into it is an M/M/c queue).

A handler is a plain function ``handler(ctx, body)``; ``ctx`` (a :class:`Context`) is
everything it may do:

>>> from reactive_lab.core import Deterministic
>>> from reactive_lab.core.sim import Simulation
>>> def counter(ctx, body):            # keeps a count, answers calls with it
...     ctx.state += body
...     ctx.reply(ctx.state)
>>> def asker(ctx, body):              # calls the counter, prints what came back
...     ctx.call("counter", body, timeout=1.0, then=lambda ctx, n: print(ctx.now, n))
>>> sim = Simulation(seed=1, latency=Deterministic(0.1))
>>> _ = sim.spawn("counter", counter, init=0, service=Deterministic(0.5))
>>> _ = sim.spawn("asker", asker)
>>> _ = sim.post("cast", "asker", "asker", 5)
>>> sim.run(until=2.0)
0.7 5

A ``call`` blocks the worker that made it, as ``gen_server:call`` blocks its caller: the
worker takes no other message until the reply, or the timeout, comes back; then the
continuation ``then(ctx, result)`` runs on the same worker. The caller learns the reply or
:data:`~reactive_lab.core.sim.messages.TIMED_OUT`, never why.
"""

# Taught in chapters/00-queues/messages.md; keep names in sync.

from __future__ import annotations

import copy
from collections import deque

from reactive_lab.core.sim.context import Context, Exit
from reactive_lab.core.sim.messages import TIMED_OUT, Message

__all__ = ["Process"]


class Process:
    """One process: address, node, state, mailbox, workers and handler.

    Made by :meth:`Simulation.spawn`; read its counters after a run.

    Attributes
    ----------
    name, node : str
        Its address and the node it runs on.
    state : object
        What its handler keeps between messages; lost in a crash, rebuilt from *init* on
        restart.
    handled : int
        Messages its handler ran for.
    busy_time : float
        Total service time its workers spent (to compute utilisation).
    alive : bool
        False between a crash and a restart.
    outages : list of [float, float or None]
        ``[crashed_at, restarted_at]`` for each crash (None while still down).
    queue_log : list of (float, int)
        ``(time, mailbox length)`` at every change, when the run records queues.
    """

    def __init__(self, sim, name, node, handler, init, service, workers, capacity,
                 trap_exits, on_error):
        self.sim, self.name, self.node, self.handler = sim, name, node, handler
        self.init, self.workers, self.capacity = init, workers, capacity
        self.trap_exits, self.on_error = trap_exits, on_error
        self.service = sim.seeds.draws(service) if service is not None else None
        self.state = self._fresh_state()
        self.mailbox: deque = deque()
        self.idle = workers
        self.alive = True
        self.incarnation = 0
        self.pending: dict[int, tuple] = {}  # call ref -> (context, then)
        self.in_service = 0
        self.monitors: set[str] = set()  # who learns of my crash
        self.links: set[str] = set()
        self.handled = 0
        self.busy_time = 0.0
        self.outages: list[list] = []
        self.queue_log: list[tuple[float, int]] = [(0.0, 0)] if sim.record_queues else None

    def _fresh_state(self):
        return self.init() if callable(self.init) else copy.deepcopy(self.init)

    def _log_queue(self):
        if self.queue_log is not None:
            self.queue_log.append((self.sim.env.now, len(self.mailbox)))

    # -- arrival and service ----------------------------------------------------------

    def receive(self, message: Message) -> None:
        """Take *message* off the network: resume a waiting call, start work, or queue it."""
        stats = self.sim.stats
        if not self.alive:
            stats.dropped_crashed += 1
            self.sim.blame("dropped", message)
            self.sim.note("drop", message, "crashed")
            return
        if message.kind == "reply":
            stats.delivered += 1
            self.sim.note("deliver", message)
            entry = self.pending.pop(message.ref, None)
            if entry is None:
                stats.late_replies += 1
            else:
                self._continue(entry, message.body)
            return
        if self.capacity is not None and len(self.mailbox) >= self.capacity:
            stats.dropped_full += 1
            self.sim.blame("dropped", message)
            self.sim.note("drop", message, "mailbox full")
            return
        stats.delivered += 1
        if self.sim.trace is not None:
            self.sim.note("deliver", message)
        now = self.sim.env.now
        if self.idle:
            self._start(message, now)
        else:
            self.mailbox.append((message, now))
            self._log_queue()

    def _start(self, message: Message, arrived: float) -> None:
        self.idle -= 1
        self.in_service += 1
        work = self.service() if self.service is not None else 0.0
        self.busy_time += work
        waited = self.sim.env.now - arrived
        self.sim.after(work, self._finish, (self.incarnation, message, waited, work))

    def _finish(self, event) -> None:
        incarnation, message, waited, work = event.value
        if incarnation != self.incarnation:
            return  # crashed while serving it: the work and the message are gone
        self.in_service -= 1
        self.handled += 1
        context = Context(self, message, waited, work)
        self._run(context, self.handler, message.body)

    def _run(self, context, function, argument) -> None:
        incarnation = self.incarnation
        try:
            function(context, argument)
        except Exit:
            return  # ctx.crash(): like exit/1, the rest of the handler does not run
        except Exception as error:
            if self.on_error == "raise":
                raise
            self.sim.crash(self.name, reason=f"{type(error).__name__}: {error}")
            return
        if incarnation != self.incarnation or context.waiting is not None:
            return  # crashed meanwhile (a link), or blocked in a call: no worker to free
        self._release()

    def _continue(self, entry, result) -> None:
        context, then = entry
        context.waiting = None
        if then is None:
            self._release()
        else:
            self._run(context, then, result)

    def _release(self) -> None:
        if self.mailbox:
            self.idle += 1
            message, arrived = self.mailbox.popleft()
            self._log_queue()
            self._start(message, arrived)
        else:
            self.idle += 1

    def call_timed_out(self, event) -> None:
        """Resume the worker waiting on a call whose timeout fired first."""
        incarnation, ref = event.value
        if incarnation != self.incarnation:
            return
        entry = self.pending.pop(ref, None)
        if entry is not None:
            self.sim.stats.timeouts += 1
            self.sim.note("timeout", entry[0].waiting)
            self._continue(entry, TIMED_OUT)

    # -- crash and restart ------------------------------------------------------------

    def lose_everything(self) -> int:
        """Crash: empty the mailbox, abandon work and calls; return messages discarded."""
        discarded = len(self.mailbox) + self.in_service
        self.mailbox.clear()
        self._log_queue()
        self.pending.clear()
        self.in_service = 0
        self.alive = False
        self.incarnation += 1
        self.state = None
        self.outages.append([self.sim.env.now, None])
        return discarded

    def come_back(self) -> None:
        """Restart: fresh state from *init*, empty mailbox, every worker free."""
        self.alive = True
        self.idle = self.workers
        self.state = self._fresh_state()
        self.outages[-1][1] = self.sim.env.now
