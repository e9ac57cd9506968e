"""A server with a regulated door and a chosen queue: the model behind load regulation.

Picture a Relay logic node with *servers* worker processes and one queue in front of
them. Three things decide what happens when too much work arrives:

- **the door**: an admission policy (:mod:`~reactive_lab.scalability.regulators`) may
  refuse a request at once, and a *capacity* bounds how many may be inside at all
  (in service plus waiting: an M/M/c/K queue);
- **the queue's order**: ``"fifo"`` serves the oldest first (fair, and under overload
  every request waits the whole queue); ``"lifo"`` the newest (the freshest requests are
  served fast, the old ones starve); ``"codel"`` serves the oldest but, once a standing
  queue has lasted a whole *interval*, drops requests that waited more than *target*
  (controlled delay, as in Facebook's request queues);
- **the patience of the queue**: a *queue_time_limit* drops a request that waited
  longer than that before a worker took it (uwiger/jobs' ``max_time``): work whose
  caller has given up is not worth doing.

A refused or dropped request gets the reply :data:`REJECTED` at once, which costs no
service time: failing fast is cheap, unlike a timeout.

>>> from reactive_lab.core import Exponential
>>> from reactive_lab.core.sim import Simulation, open_loop
>>> sim = Simulation(seed=1)
>>> server = spawn_server(sim, "logic", service=Exponential(100.0), capacity=5)
>>> _ = open_loop(sim, "logic", rate=150.0, stop=20.0)
>>> sim.run(until=21.0)
>>> server.refused["full"] > 0, max(n for _, n in server.queue_log) <= 4
(True, True)

The server is one simulation process with no service time of its own: it keeps its queue
in Python and serves with timers, so it can reorder and drop, which an Erlang mailbox
(and the core's process) cannot.
"""

# Taught in chapters/04-scalability/regulation.md; keep names in sync.

from __future__ import annotations

import math
from collections import deque

from reactive_lab.core import arguments
from reactive_lab.core.sim import Context
from reactive_lab.scalability.regulators import AdmitAll, is_policy

__all__ = ["DISCIPLINES", "REJECTED", "RegulatedServer", "spawn_server"]

REJECTED = "rejected"
"""The reply to a refused or dropped request (an HTTP 503, an ``{error, overload}``)."""

DISCIPLINES = ("fifo", "lifo", "codel")

CODEL_TARGET = 0.05
"""CoDel's acceptable standing queue delay (s): five times a logic node's 10 ms of work.
(Facebook's request queues use 5 ms for much shorter work; a target below the service
time would drop requests at moderate load.)"""
CODEL_INTERVAL = 0.5
"""CoDel's window (s): a queue that has not dipped below the target for this long is
standing, and requests older than the target are dropped (Facebook: 100 ms)."""


class RegulatedServer:
    """The state and counters of a server made by :func:`spawn_server`.

    Attributes
    ----------
    admitted, served : int
        Requests let in, and requests that finished service.
    refused : dict
        Requests turned away, by reason: ``"policy"`` (the admission policy said no),
        ``"full"`` (capacity reached), ``"stale"`` (waited past the queue-time limit or
        dropped by CoDel).
    queue_log : list of (float, int)
        ``(time, number waiting)`` at every change.
    busy_time : float
        Total service time spent (utilisation = busy_time / (servers x duration)).
    """

    def __init__(self, sim, name, service, servers, capacity, discipline, policy,
                 queue_time_limit):
        self.sim, self.name = sim, name
        self.draw = sim.seeds.draws(service)
        self.servers, self.capacity = servers, capacity
        self.discipline, self.policy = discipline, policy
        self.queue_time_limit = queue_time_limit
        self.queue: deque = deque()  # (message, arrival time)
        self.busy = 0
        self.admitted = self.served = 0
        self.refused = {"policy": 0, "full": 0, "stale": 0}
        self.queue_log = [(0.0, 0)]
        self.busy_time = 0.0
        self.process = None
        self._codel_standing = False
        self._codel_window_end = CODEL_INTERVAL
        self._codel_lowest = math.inf

    @property
    def in_flight(self) -> int:
        """Admitted requests not yet finished (in service or waiting)."""
        return self.busy + len(self.queue)

    def handle(self, ctx, body) -> None:
        """The process's handler: a new request (a call)."""
        if ctx.message.kind == "call":
            self._arrive(ctx.message)

    def _reply(self, message, body) -> None:
        Context(self.process, message).reply(body)

    def _arrive(self, message) -> None:
        now = self.sim.now
        if not self.policy.admit(now, self.in_flight):
            self.refused["policy"] += 1
            self._reply(message, REJECTED)
        elif self.capacity is not None and self.in_flight >= self.capacity:
            self.refused["full"] += 1
            self._reply(message, REJECTED)
        else:
            self.admitted += 1
            self.queue.append((message, now))
            self._log()
            self._serve()

    def _log(self) -> None:
        self.queue_log.append((self.sim.now, len(self.queue)))

    def _stale(self, waited: float) -> bool:
        if self.queue_time_limit is not None and waited > self.queue_time_limit:
            return True
        if self.discipline != "codel":
            return False
        now = self.sim.now
        self._codel_lowest = min(self._codel_lowest, waited)
        if now >= self._codel_window_end:
            self._codel_standing = self._codel_lowest > CODEL_TARGET
            self._codel_lowest = math.inf
            self._codel_window_end = now + CODEL_INTERVAL
        return self._codel_standing and waited > CODEL_TARGET

    def _serve(self) -> None:
        while self.busy < self.servers and self.queue:
            message, arrived = (self.queue.pop() if self.discipline == "lifo"
                                else self.queue.popleft())
            if not self.queue:
                self._codel_lowest = 0.0  # the queue emptied: it is not standing
            self._log()
            waited = self.sim.now - arrived
            if self._stale(waited):
                self.refused["stale"] += 1
                self._reply(message, REJECTED)
                continue
            self.busy += 1
            work = self.draw()
            self.busy_time += work
            # The end of service is an event of the server's own, not a timer message
            # through its mailbox: a worker of this server is busy, not the process's
            # handler, and it spares two events a request. A crash cancels it, as it would
            # a timer.
            self.sim.after(work, self._finish, (self.process.incarnation, message, arrived))

    def _finish(self, event) -> None:
        incarnation, message, arrived = event.value
        if incarnation != self.process.incarnation:
            return  # the server crashed meanwhile: the work and the request are gone
        self.busy -= 1
        self.served += 1
        completed = getattr(self.policy, "completed", None)
        if completed is not None:
            completed(self.sim.now, self.sim.now - arrived)
        self._reply(message, "ok")
        self._serve()


def spawn_server(sim, name: str, *, service, servers: int = 1, capacity: int | None = None,
                 discipline: str = "fifo", policy=None,
                 queue_time_limit: float | None = None) -> RegulatedServer:
    """Start a regulated server called *name* in *sim*; return its state and counters.

    Parameters
    ----------
    sim : Simulation
    name : str
        Its address; clients ``call`` it and get ``"ok"`` or :data:`REJECTED`.
    service : Distribution
        Service time of one request.
    servers : int, default 1
        Workers, 1 to 10,000.
    capacity : int, optional
        Most requests inside at once, in service and waiting (None: unbounded); at least
        *servers*.
    discipline : {"fifo", "lifo", "codel"}
        Which waiting request a free worker takes.
    policy : object, optional
        An admission policy with ``admit(now, in_flight)`` (default :class:`AdmitAll`).
    queue_time_limit : float, optional
        Drop a request that waited longer than this (s) before service.

    Returns
    -------
    RegulatedServer

    Raises
    ------
    ValueError
        If a parameter is out of range or *policy* has no ``admit`` method.

    Examples
    --------
    >>> from reactive_lab.core import Deterministic
    >>> from reactive_lab.core.sim import Simulation, open_loop
    >>> sim = Simulation(seed=1)
    >>> s = spawn_server(sim, "s", service=Deterministic(0.1), servers=2)
    >>> _ = open_loop(sim, "s", rate=5.0, requests=10)
    >>> sim.run(until=50.0)
    >>> s.served, s.busy
    (10, 0)
    """
    arguments.sampler("service", service)
    servers = arguments.integer("servers", servers, low=1, high=10_000)
    if capacity is not None:
        capacity = arguments.integer("capacity", capacity, low=servers)
    arguments.choice("discipline", discipline, DISCIPLINES)
    policy = AdmitAll() if policy is None else policy
    if not is_policy(policy):
        raise ValueError(f"policy must have a method admit(now, in_flight) (got {policy!r})")
    if queue_time_limit is not None:
        queue_time_limit = arguments.positive("queue_time_limit", queue_time_limit)
    server = RegulatedServer(sim, name, service, servers, capacity, discipline, policy,
                             queue_time_limit)
    server.process = sim.spawn(name, server.handle)
    return server
