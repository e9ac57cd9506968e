"""What a handler may do while it handles one message: the ``ctx`` it is given.

A handler is ``handler(ctx, body)``. Through ``ctx`` it reads the message and the
process's state, and acts: ``send`` (cast), ``call`` another process and wait,
``forward`` the job so the next process answers the caller, ``reply``, set a ``timer``,
``monitor`` or ``link`` to another process, ``restart`` one (a supervisor), or ``crash``.
"""

# Taught in chapters/00-queues/messages.md; keep names in sync.

from __future__ import annotations

__all__ = ["Context", "Exit"]


class Exit(Exception):  # noqa: N818 (named after Erlang's exit, not an error)
    """Raised by ``ctx.crash()`` to stop the handler at once, as ``exit/1`` does.

    The process catches it; a handler should let it through.
    """


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

    def __init__(self, process, message, waited: float = 0.0,
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
        raise Exit

    def monitor(self, target: str) -> None:
        """Receive a ``"down"`` message when *target* crashes (``erlang:monitor``)."""
        self.process.sim.monitor(self.me, target)

    def link(self, target: str) -> None:
        """Crash together with *target*, or get ``"exit"`` messages if trapping exits."""
        self.process.sim.link(self.me, target)

    def restart(self, target: str) -> None:
        """Restart a crashed *target* with fresh state (what a supervisor does)."""
        self.process.sim.restart(target)
