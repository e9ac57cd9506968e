"""Load generators: open loop (arrivals on a clock) and closed loop (users who wait).

*Open loop*: requests arrive on their own clock, a Poisson stream or a rate that follows a
schedule (a spike, a ramp), whatever happens to earlier ones; a million phones do not
slow down because a server is slow. *Closed loop*: a fixed number of users each send a
request, wait for it to finish, think, and send the next; when the system slows down, so
do they. Under overload the first builds a queue without bound, the second cannot, which
is why a load test with a few looping clients can miss a collapse.

Each request is a ``call`` to *target*, retried up to *retries* times when it times out
(after an optional *backoff*), and recorded: when it started and finished, how many
attempts it took, and whether it was answered in time.

>>> from reactive_lab.core import Deterministic
>>> from reactive_lab.core.sim import Simulation, open_loop
>>> sim = Simulation(seed=1)
>>> _ = sim.spawn("server", lambda ctx, body: ctx.reply("ok"), service=Deterministic(0.1))
>>> clients = open_loop(sim, "server", rate=2.0, requests=5)
>>> sim.run(until=100.0)
>>> clients.outcomes.count("ok")
5
"""

# Taught in chapters/00-queues/messages.md; keep names in sync.

from __future__ import annotations

import math

from reactive_lab.core import arguments
from reactive_lab.core.distributions import Exponential
from reactive_lab.core.sim.schedules import RateSchedule

__all__ = ["Client", "closed_loop", "open_loop"]

OK, TIMED_OUT, PENDING = "ok", "timed out", "pending"


class Client:
    """The endpoint of a load generator: sends calls, handles timeouts and retries, records.

    Attributes
    ----------
    name, node : str
        Its address and node.
    starts, ends : list of float
        When each request started and finished (NaN while pending).
    attempts : list of int
        Calls made for each request (1 + retries used).
    outcomes : list of str
        ``"ok"``, ``"timed out"`` (every attempt timed out) or ``"pending"``.
    ids : list of int
        Each request's id, as it appears in the trace.
    """

    alive = True
    incarnation = 0
    trap_exits = False

    def __init__(self, sim, name, node, target, body, timeout, retries, backoff):
        self.sim, self.name, self.node, self.target = sim, name, node, target
        self.body, self.timeout, self.retries = body, timeout, retries
        self.backoff = sim.seeds.draws(backoff) if backoff is not None else None
        self.starts: list[float] = []
        self.ends: list[float] = []
        self.attempts: list[int] = []
        self.outcomes: list[str] = []
        self.ids: list[int] = []
        self.links: set[str] = set()
        self.monitors: set[str] = set()
        self._waiting: dict[int, int] = {}  # call ref -> request index
        self.on_done = None

    def begin(self) -> None:
        """Start a new request now."""
        self.ids.append(self.sim.new_request())
        self.starts.append(self.sim.env.now)
        self.ends.append(math.nan)
        self.attempts.append(0)
        self.outcomes.append(PENDING)
        self._attempt(len(self.starts) - 1)

    def _attempt(self, index: int) -> None:
        sim = self.sim
        self.attempts[index] += 1
        ref = sim.new_ref()
        self._waiting[ref] = index
        body = self.body(self.ids[index]) if callable(self.body) else self.body
        sim.post("call", self.name, self.target, body, reply_to=(self.name, ref),
                 request=self.ids[index])
        if self.timeout is not None:
            sim.after(self.timeout, self._timed_out, ref)

    def _retry(self, event) -> None:
        self._attempt(event.value)

    def receive(self, message) -> None:
        """Take a reply: the request is done, unless it came after its timeout."""
        sim = self.sim
        sim.stats.delivered += 1
        sim.note("deliver", message)
        index = self._waiting.pop(message.ref, None)
        if index is None:
            sim.stats.late_replies += 1
            return
        self._finish(index, OK)

    def _timed_out(self, event) -> None:
        index = self._waiting.pop(event.value, None)
        if index is None:
            return
        self.sim.stats.timeouts += 1
        self.sim.note("timeout", detail=f"request {self.ids[index]}", process=self.name,
                      request=self.ids[index])
        if self.attempts[index] <= self.retries:
            if self.backoff is None:
                self._attempt(index)
            else:
                self.sim.after(self.backoff(), self._retry, index)
        else:
            self._finish(index, TIMED_OUT)

    def _finish(self, index: int, outcome: str) -> None:
        self.ends[index] = self.sim.env.now
        self.outcomes[index] = outcome
        if self.on_done is not None:
            self.on_done(index)


def _client(sim, target, name, node, body, timeout, retries, backoff) -> Client:
    sim.endpoint(target)
    if timeout is not None:
        timeout = arguments.positive("timeout", timeout)
    retries = arguments.integer("retries", retries, low=0, high=100)
    if retries and timeout is None:
        raise ValueError(f"retries must be 0 without a timeout (got {retries}): a request "
                         "is only retried when its call times out")
    if backoff is not None:
        arguments.sampler("backoff", backoff)
    client = Client(sim, name, name if node is None else node, target, body, timeout,
                    retries, backoff)
    sim.register(client)
    return client


def open_loop(sim, target: str, *, rate=None, interarrival=None, schedule=None,
              requests: int | None = None, stop: float | None = None, body="request",
              timeout: float | None = None, retries: int = 0, backoff=None,
              name: str = "clients", node: str | None = None) -> Client:
    """Send requests to *target* on their own clock; return the client endpoint.

    Give exactly one of *rate* (Poisson arrivals per unit time), *interarrival* (a
    distribution of the gaps) or *schedule* (a
    :class:`~reactive_lab.core.sim.schedules.RateSchedule`, made by ``spike`` or ``ramp``).

    Parameters
    ----------
    sim : Simulation
    target : str
        The process every request calls.
    rate, interarrival, schedule
        The arrival clock (exactly one).
    requests : int, optional
        Stop after this many requests (up to 10,000,000).
    stop : float, optional
        Send no request after this time.
    body : object or callable
        Each call's body, or a function of the request id returning it.
    timeout : float, optional
        How long a call waits for its reply (None: forever).
    retries : int, default 0
        Further attempts after a timeout, 0 to 100.
    backoff : Distribution, optional
        Wait before each retry (None: retry at once).
    name, node : str
        The client endpoint's address and node (default: a node of its own).

    Returns
    -------
    Client

    Raises
    ------
    ValueError
        If the clock is not given exactly once, or a parameter is out of range.

    Examples
    --------
    >>> from reactive_lab.core.sim import Simulation, spike
    >>> sim = Simulation(seed=2)
    >>> _ = sim.spawn("s", lambda ctx, body: ctx.reply(body))
    >>> c = open_loop(sim, "s", schedule=spike(1, 20, start=10, end=11), stop=30)
    >>> sim.run(until=40)
    >>> 30 < len(c.starts) < 80
    True
    """
    given = [x is not None for x in (rate, interarrival, schedule)]
    if sum(given) != 1:
        raise ValueError(f"rate, interarrival and schedule must be given exactly once "
                         f"(got {sum(given)} of them)")
    if rate is not None:
        interarrival = Exponential(arguments.positive("rate", rate))
    if interarrival is not None:
        arguments.sampler("interarrival", interarrival)
    elif not isinstance(schedule, RateSchedule):
        raise ValueError(f"schedule must be a RateSchedule, e.g. spike(...) (got {schedule!r})")
    limit = math.inf if requests is None else arguments.integer("requests", requests, low=1,
                                                                high=10_000_000)
    stop = math.inf if stop is None else arguments.positive("stop", stop)
    client = _client(sim, target, name, node, body, timeout, retries, backoff)
    if interarrival is not None:
        draw = sim.seeds.draws(interarrival)

        def gap():
            return draw()
    else:
        unit = sim.seeds.draws(Exponential(1.0))

        def gap():
            return schedule.next_arrival(sim.env.now, unit()) - sim.env.now

    def arrive(_event):
        client.begin()
        _next()

    def _next():
        wait = gap()
        if len(client.starts) < limit and sim.env.now + wait <= stop:
            sim.after(wait, arrive)

    _next()
    return client


def closed_loop(sim, target: str, *, users: int, think, requests: int | None = None,
                stop: float | None = None, body="request", timeout: float | None = None,
                retries: int = 0, backoff=None, name: str = "users",
                node: str | None = None) -> Client:
    """Have *users* users each send a request, wait for it, *think*, and repeat.

    Each user starts after one think time, so they do not all fire at time 0. Parameters
    as in :func:`open_loop`, with *users* (1 to 100,000) and *think* (a distribution).

    Examples
    --------
    >>> from reactive_lab.core import Deterministic
    >>> from reactive_lab.core.sim import Simulation
    >>> sim = Simulation(seed=2)
    >>> _ = sim.spawn("s", lambda ctx, body: ctx.reply(body), service=Deterministic(1.0))
    >>> c = closed_loop(sim, "s", users=2, think=Deterministic(1.0))
    >>> sim.run(until=10.5)
    >>> len(c.starts)  # each user: 1 s of thinking, then 1 s of service (or waiting)
    10
    """
    users = arguments.integer("users", users, low=1, high=100_000)
    arguments.sampler("think", think)
    limit = math.inf if requests is None else arguments.integer("requests", requests, low=1,
                                                                high=10_000_000)
    stop = math.inf if stop is None else arguments.positive("stop", stop)
    client = _client(sim, target, name, node, body, timeout, retries, backoff)
    pause = sim.seeds.draws(think)

    def start(_event):
        if len(client.starts) < limit and sim.env.now <= stop:
            client.begin()

    def done(_index):
        sim.after(pause(), start)

    client.on_done = done
    for _ in range(users):
        sim.after(pause(), start)
    return client
