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

from __future__ import annotations

import copy
from collections import deque

from reactive_lab.core.sim.messages import TIMED_OUT, Message

__all__ = ["Context", "Process"]


class _Crashed(Exception):
    """Raised by ``ctx.crash()`` to stop the handler at once, as ``exit/1`` does."""


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
        except _Crashed:
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


class Context:
    """What a handler may do while it handles one message.

    Attributes
    ----------
    me : str
        The handling process's address.
    message : Message
        The message being handled (its ``sender``, ``kind`` and ``body``).
    waited, worked : float
        How long the message waited in the mailbox, and its service time.

    Examples
    --------
    A cache that answers from its state and otherwise asks the database, then remembers:

    >>> from reactive_lab.core import Deterministic
    >>> from reactive_lab.core.sim import Simulation, TIMED_OUT
    >>> def cache(ctx, key):
    ...     if key in ctx.state:
    ...         return ctx.reply(ctx.state[key])
    ...     def remember(ctx, value):
    ...         if value is not TIMED_OUT:
    ...             ctx.state[key] = value
    ...         ctx.reply(value)
    ...     ctx.call("db", key, timeout=5.0, then=remember)
    >>> def caller(ctx, body):
    ...     ctx.call("cache", body, timeout=10.0, then=lambda ctx, v: print(ctx.now, v))
    >>> sim = Simulation(latency=Deterministic(1.0))
    >>> _ = sim.spawn("db", lambda ctx, key: ctx.reply(key.upper()), service=Deterministic(2.0))
    >>> _ = sim.spawn("cache", cache, init=dict)
    >>> _ = sim.spawn("caller", caller)
    >>> _ = sim.post("cast", "caller", "caller", "k")
    >>> sim.run(until=10.0)
    6.0 K
    >>> _ = sim.post("cast", "caller", "caller", "k")
    >>> sim.run(until=20.0)
    12.0 K
    """

    __slots__ = ("process", "message", "waited", "worked", "me", "waiting")

    def __init__(self, process: Process, message: Message, waited: float = 0.0,
                 worked: float = 0.0):
        self.process = process
        self.message = message
        self.waited = waited
        self.worked = worked
        self.me = process.name
        self.waiting = None  # the call message this worker is blocked on

    @property
    def now(self) -> float:
        """The simulated time."""
        return self.process.sim.env.now

    @property
    def state(self):
        """The process's state; assign to replace it."""
        return self.process.state

    @state.setter
    def state(self, value):
        self.process.state = value

    def send(self, to: str, body) -> None:
        """Cast *body* to process *to*: send and forget (it may be lost on the way)."""
        self.process.sim.post("cast", self.me, to, body, request=self.message.request)

    def forward(self, to: str, body) -> None:
        """Pass the job on to *to*, which may reply straight to the original caller.

        The OTP idiom of handing ``From`` along: the reply skips this process.
        """
        self.process.sim.post("call" if self.message.reply_to else "cast", self.me, to, body,
                              reply_to=self.message.reply_to, request=self.message.request)

    def reply(self, body) -> None:
        """Answer the call being handled (or forwarded here).

        Raises
        ------
        ValueError
            If the message being handled was not a call: there is nobody to answer.
        """
        reply_to = self.message.reply_to
        if reply_to is None:
            raise ValueError(
                f"reply needs a message sent with call (got a {self.message.kind!r} "
                f"from {self.message.sender!r})"
            )
        sim = self.process.sim
        sim.stats.replies += 1
        sim.reply_times.append(sim.env.now)
        sim.post("reply", self.me, reply_to[0], body, ref=reply_to[1],
                 request=self.message.request)

    def call(self, to: str, body, timeout: float, then=None) -> None:
        """Send *body* to *to* and block this worker until the reply or *timeout*.

        Then ``then(ctx, result)`` runs, with the reply's body or ``TIMED_OUT``.

        Raises
        ------
        ValueError
            If *timeout* is not positive, or this handler is already waiting on a call.
        """
        process = self.process
        sim = process.sim
        timeout = sim.check_delay("timeout", timeout, positive=True)
        if self.waiting is not None:
            raise ValueError("call must not be made twice from one handler (got a second "
                             f"call to {to!r}): chain the next call in then")
        ref = sim.new_ref()
        self.waiting = sim.post("call", self.me, to, body, reply_to=(self.me, ref),
                                request=self.message.request)
        process.pending[ref] = (self, then)
        sim.after(timeout, process.call_timed_out, (process.incarnation, ref))

    def timer(self, delay: float, body) -> None:
        """Put *body* in this process's own mailbox after *delay* (``erlang:send_after``)."""
        self.process.sim.start_timer(self.me, delay, body)

    def crash(self, reason="crash") -> None:
        """Crash this process now, like ``exit(Reason)``: the handler stops here, and
        state, mailbox and pending calls are lost."""
        self.process.sim.crash(self.me, reason=reason)
        raise _Crashed

    def monitor(self, target: str) -> None:
        """Receive a ``"down"`` message when *target* crashes (``erlang:monitor``)."""
        self.process.sim.monitor(self.me, target)

    def link(self, target: str) -> None:
        """Crash together with *target*, or get ``"exit"`` messages if trapping exits."""
        self.process.sim.link(self.me, target)

    def restart(self, target: str) -> None:
        """Restart a crashed *target* with fresh state (what a supervisor does)."""
        self.process.sim.restart(target)
