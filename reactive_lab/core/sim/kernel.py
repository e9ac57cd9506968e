"""The simulation: a simpy clock, the processes, the network, the counts and the trace.

Everything in a run hangs off one :class:`Simulation`. It owns the simpy environment (the
clock and its queue of future events), the random streams split from the run's seed, the
network, the processes and the client endpoints of the load generators. Events are simpy
timeouts with callbacks rather than one simpy process per message: a hop costs two events
(the network delay and the service time), which is what keeps the core faster than a
process-per-request simpy model of the same system (see ``benchmarks/sim_bench.py``).

>>> from reactive_lab.core import Exponential
>>> from reactive_lab.core.sim import Simulation
>>> sim = Simulation(seed=3)
>>> _ = sim.spawn("server", lambda ctx, body: ctx.reply(body * 2), service=Exponential(10.0))
>>> sim.run(until=5.0)
>>> sim.now
5.0

Runs are bounded twice: :meth:`Simulation.run` needs an end time, and a run that schedules
more than *max_events* events stops with :class:`EventLimitError` instead of running on.
"""

# Taught in chapters/00-queues/messages.md; keep names in sync.

from __future__ import annotations

import itertools
from collections import Counter

import simpy
from simpy.events import Timeout

from reactive_lab.core import arguments
from reactive_lab.core.sim.lifecycle import Lifecycle
from reactive_lab.core.sim.messages import Message, MessageStats
from reactive_lab.core.sim.network import Network
from reactive_lab.core.sim.processes import Process
from reactive_lab.core.sim.streams import Seeds
from reactive_lab.core.sim.trace import TraceEvent

__all__ = ["MAX_EVENTS", "EventLimitError", "Simulation"]

MAX_EVENTS = 50_000_000
"""The largest event budget a run may ask for (about a minute of simulation)."""


class EventLimitError(RuntimeError):
    """A run scheduled more events than its *max_events* budget allowed."""


class Simulation(Lifecycle):
    """A run of processes exchanging messages over a faulty network.

    Parameters
    ----------
    seed : int or None
        Seed for every random stream of the run: the same seed gives the same run.
    latency : Distribution or None
        Default one-way delay of a message between two nodes (None: no delay).
    loss, duplicate, reorder : float, default 0
        Default per-message probabilities, on links between nodes, that the network loses
        the message, delivers it twice, or lets it overtake earlier ones.
    trace : bool, default False
        Record every message event in :attr:`trace` (for small runs: it costs time).
    record_queues : bool, default True
        Log every process's mailbox length at each change.
    max_events : int, default 5,000,000
        Event budget, from 1 to :data:`MAX_EVENTS`; exceeding it raises
        :class:`EventLimitError`.

    Raises
    ------
    ValueError
        If a parameter is out of range.

    Examples
    --------
    >>> from reactive_lab.core import Deterministic
    >>> sim = Simulation(seed=1, latency=Deterministic(0.5))
    >>> _ = sim.spawn("echo", lambda ctx, body: ctx.send(ctx.message.sender, body))
    >>> _ = sim.spawn("me", lambda ctx, body: print(ctx.now, body))
    >>> _ = sim.post("cast", "me", "echo", "hello")
    >>> sim.run(until=2.0)
    1.0 hello
    """

    def __init__(self, *, seed=None, latency=None, loss=0.0, duplicate=0.0, reorder=0.0,
                 trace=False, record_queues=True, max_events=5_000_000):
        self.max_events = arguments.integer("max_events", max_events, low=1, high=MAX_EVENTS)
        self.env = simpy.Environment()
        self.seeds = Seeds(seed)
        self.stats = MessageStats()
        self.trace = [] if trace else None
        self.record_queues = bool(record_queues)
        self.processes: dict[str, object] = {}
        self.clients: list = []
        self.events = 0
        self.reply_times: list[float] = []
        self.request_faults = {"lost": Counter(), "duplicated": Counter(),
                               "dropped": Counter()}
        self._ids = itertools.count(1)
        self._refs = itertools.count(1)
        self._requests = itertools.count(1)
        self.network = Network(self, latency=latency, loss=loss, duplicate=duplicate,
                               reorder=reorder)

    # -- time -------------------------------------------------------------------------

    @property
    def now(self) -> float:
        """The simulated time."""
        return self.env.now

    def after(self, delay: float, callback, value=None) -> None:
        """Call ``callback(event)`` after *delay*, with *value* as ``event.value``.

        Every event of the core is scheduled here, which is where the budget is counted.
        """
        self.events += 1
        if self.events > self.max_events:
            raise EventLimitError(
                f"the run scheduled more than max_events={self.max_events:,} events by "
                f"time {self.env.now:g}: shorten it, lower the load, or raise max_events"
            )
        Timeout(self.env, delay, value).callbacks.append(callback)

    def run(self, until: float) -> None:
        """Run the simulation up to time *until* (later than now).

        Raises
        ------
        ValueError
            If *until* is not a finite time after :attr:`now`.
        EventLimitError
            If the run exceeds its event budget.

        Examples
        --------
        >>> sim = Simulation()
        >>> sim.run(until=3.0); sim.run(until=5.0); sim.now
        5.0
        """
        until = arguments.real("until", until, low=self.env.now, low_open=True)
        self.env.run(until=until)

    @staticmethod
    def check_delay(name: str, value, positive: bool = False) -> float:
        """Return *value* as a float after checking it is a finite, non-negative time."""
        return arguments.real(name, value, low=0, low_open=positive)

    # -- processes --------------------------------------------------------------------

    def spawn(self, name: str, handler, *, node: str | None = None, init=None, service=None,
              workers: int = 1, mailbox: int | None = None, trap_exits: bool = False,
              on_error: str = "raise") -> Process:
        """Start a process called *name* on *node* (default: a node of its own).

        Parameters
        ----------
        name : str
            Its address; unique in the run.
        handler : callable
            ``handler(ctx, body)``, run once per message after its service time.
        node : str, optional
            Processes on one node crash together and talk without network faults.
        init : object or callable, optional
            Initial state, or a function returning it (called again on every restart).
        service : Distribution, optional
            Service time per message (None: no time).
        workers : int, default 1
            Workers sharing the mailbox, 1 to 10,000.
        mailbox : int, optional
            Mailbox capacity (None: unbounded); a message arriving at a full mailbox is
            dropped.
        trap_exits : bool, default False
            Turn crashes of linked processes into ``"exit"`` messages instead of crashing.
        on_error : {"raise", "crash"}
            What an exception in the handler does: stop the run, or crash the process.

        Returns
        -------
        Process

        Raises
        ------
        ValueError
            If the name is taken or a parameter is out of range.

        Examples
        --------
        >>> from reactive_lab.core import Exponential
        >>> sim = Simulation(seed=1)
        >>> pool = sim.spawn("pool", lambda ctx, body: None, service=Exponential(1.0),
        ...                  workers=4, mailbox=100, node="box")
        >>> pool.node, pool.workers, pool.capacity
        ('box', 4, 100)
        """
        self._check_new_address(name)
        if not callable(handler):
            raise ValueError(f"handler must be a function handler(ctx, body) (got {handler!r})")
        if service is not None:
            arguments.sampler("service", service)
        workers = arguments.integer("workers", workers, low=1, high=10_000)
        if mailbox is not None:
            mailbox = arguments.integer("mailbox", mailbox, low=1)
        arguments.choice("on_error", on_error, ("raise", "crash"))
        process = Process(self, name, name if node is None else str(node), handler, init,
                          service, workers, mailbox, bool(trap_exits), on_error)
        self.processes[name] = process
        return process

    def _check_new_address(self, name) -> None:
        if not isinstance(name, str) or not name:
            raise ValueError(f"name must be a non-empty str (got {name!r})")
        if name in self.processes:
            raise ValueError(f"name must be unused in this run (got {name!r}, already taken)")

    def register(self, endpoint) -> None:
        """Add a non-process endpoint (a load generator's client) under its ``name``."""
        self._check_new_address(endpoint.name)
        self.processes[endpoint.name] = endpoint
        self.clients.append(endpoint)

    def endpoint(self, name: str):
        """Return the process or client called *name*.

        Raises
        ------
        ValueError
            If there is none.

        Examples
        --------
        >>> sim = Simulation()
        >>> sim.spawn("p", lambda ctx, body: None) is sim.endpoint("p")
        True
        """
        try:
            return self.processes[name]
        except (KeyError, TypeError):
            known = ", ".join(sorted(self.processes)) or "none yet"
            raise ValueError(f"to must be the name of a process (got {name!r}; known: "
                             f"{known})") from None

    def _process(self, parameter: str, name: str) -> Process:
        endpoint = self.endpoint(name)
        if not isinstance(endpoint, Process):
            raise ValueError(f"{parameter} must name a process, not a load generator "
                             f"(got {name!r})")
        return endpoint

    def nodes(self) -> dict[str, list[str]]:
        """Return ``{node: [process names]}`` for every node.

        >>> sim = Simulation()
        >>> for name in ("db", "cache"):
        ...     _ = sim.spawn(name, lambda ctx, body: None, node="box")
        >>> sim.nodes()
        {'box': ['db', 'cache']}
        """
        nodes: dict[str, list[str]] = {}
        for name, endpoint in self.processes.items():
            nodes.setdefault(endpoint.node, []).append(name)
        return nodes

    # -- messages ---------------------------------------------------------------------

    def new_ref(self) -> int:
        """Return a fresh call reference."""
        return next(self._refs)

    def new_request(self) -> int:
        """Return a fresh request id (load generators number their requests with it)."""
        return next(self._requests)

    def post(self, kind, sender, to, body, *, ref=None, reply_to=None, request=None):
        """Send a message of *kind* from *sender* through the network; return it.

        Handlers send with ``ctx.send``, ``ctx.call`` and ``ctx.reply``; ``post`` is for
        starting a run from outside, on a process's behalf.

        >>> sim = Simulation()
        >>> _ = sim.spawn("p", lambda ctx, body: None)
        >>> sim.post("cast", "p", "p", "wake up")
        Message(#1 cast p->p 'wake up')
        """
        message = Message(next(self._ids), kind, sender, to, body, ref, reply_to, request)
        processes = self.processes
        # Dict lookups first: this runs once per message; endpoint() explains a bad name.
        source = processes[sender] if sender in processes else self.endpoint(sender)
        target = processes[to] if to in processes else self.endpoint(to)
        self.network.send(message, source.node, target)
        return message

    def blame(self, fault: str, message) -> None:
        """Count a *fault* ("lost", "duplicated", "dropped") against the message's request."""
        if message.request is not None:
            self.request_faults[fault][message.request] += 1

    def start_timer(self, name: str, delay: float, body) -> None:
        """Deliver *body* as a ``"timer"`` message to *name* after *delay*."""
        delay = self.check_delay("delay", delay)
        process = self.endpoint(name)
        message = Message(next(self._ids), "timer", name, name, body)
        self.after(delay, self._fire_timer, (process, process.incarnation, message))

    def _fire_timer(self, event) -> None:
        process, incarnation, message = event.value
        if process.incarnation == incarnation:  # a crash cancels the timers it set
            self.stats.sent += 1  # counted as sent and delivered, so the books balance
            process.receive(message)

    def note(self, kind: str, message=None, detail: str = "", process: str | None = None,
             request: int | None = None):
        """Add an event to the trace (when tracing)."""
        if self.trace is not None:
            self.trace.append(TraceEvent.of(self.env.now, kind, message, detail, process,
                                            request))
