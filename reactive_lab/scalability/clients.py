"""Clients that retry: the open-loop load of an overload experiment, and its defences.

Phones do not wait politely. They send on their own clock (open loop), give up on a call
after a *timeout*, and try again, up to *retries* more times. Every retry is extra work
for a server that was already too slow: the seed of a retry storm. Two client-side
defences limit it:

- a **retry budget**: a token bucket of retries; every successful request deposits
  *budget* tokens (0.1: at most one retry per ten successes), every retry spends one, and
  with less than one token a failure is final;
- **adaptive throttling** (Google SRE, "Handling Overload"): the client counts requests
  and accepts over a recent window and refuses a new request locally with probability
  ``max(0, (requests - K accepts) / (requests + 1))``, so that when the backend rejects
  most requests, the clients stop sending them.

A reply of :data:`~reactive_lab.scalability.server.REJECTED` counts as a failure and is
retried like a timeout. Each request ends ``"ok"``, ``"rejected"``, ``"timed out"`` or
``"throttled"`` (or is ``"pending"`` at the end of the run); the records have the same
shape as the core's clients, so :func:`reactive_lab.core.sim.summarise` reads them.

>>> from reactive_lab.core import Exponential
>>> from reactive_lab.core.sim import Simulation, summarise
>>> from reactive_lab.scalability.server import spawn_server
>>> sim = Simulation(seed=4)
>>> _ = spawn_server(sim, "s", service=Exponential(100.0))
>>> c = retrying_clients(sim, "s", rate=50.0, timeout=1.0, retries=2, stop=10.0)
>>> sim.run(until=12.0)
>>> c.outcomes.count("ok") == len(c.outcomes)
True
"""

# Taught in chapters/04-scalability/overload.md; keep names in sync.

from __future__ import annotations

import math
from collections import deque

from reactive_lab.core import arguments
from reactive_lab.core.distributions import Exponential
from reactive_lab.core.sim import RateSchedule
from reactive_lab.scalability.server import REJECTED

__all__ = ["BUDGET_CAP", "THROTTLE_WINDOW", "RetryingClients", "retrying_clients"]

BUDGET_CAP = 10.0
"""Most retry tokens a client's budget holds (it starts full)."""

THROTTLE_WINDOW = 1.0
"""Seconds of history adaptive throttling counts requests and accepts over (SRE: 2 min;
shortened to the scale of these simulations)."""


class RetryingClients:
    """The endpoint of :func:`retrying_clients`: sends, times out, retries, records.

    Attributes
    ----------
    starts, ends, attempts, outcomes, ids : list
        One entry per request, as in :class:`reactive_lab.core.sim.Client`.
    sent : list of float
        When every call (first attempt or retry) was sent.
    retries_denied : int
        Retries the budget refused.
    """

    alive = True
    incarnation = 0
    trap_exits = False

    def __init__(self, sim, name, target, timeout, retries, budget, throttle):
        self.sim, self.name, self.node, self.target = sim, name, name, target
        self.timeout, self.retries = timeout, retries
        self.budget, self.throttle = budget, throttle
        self.tokens = BUDGET_CAP if budget is not None else math.inf
        self.retries_denied = 0
        self.sent: list[float] = []
        self.starts, self.ends, self.attempts, self.outcomes, self.ids = [], [], [], [], []
        self.links, self.monitors = set(), set()
        self._waiting: dict[int, int] = {}
        self._history: deque = deque()  # (time, accepted) for adaptive throttling
        self._uniform = sim.seeds.uniforms()

    def begin(self) -> None:
        """Start a new request now (or refuse it locally, if throttling says so)."""
        index = len(self.starts)
        self.ids.append(self.sim.new_request())
        self.starts.append(self.sim.now)
        self.ends.append(math.nan)
        self.attempts.append(0)
        self.outcomes.append("pending")
        if self.throttle is not None and self._uniform() < self._reject_probability():
            self._record(False)  # SRE counts a request refused locally as a request
            self._finish(index, "throttled")
            return
        self._attempt(index)

    def _reject_probability(self) -> float:
        cutoff = self.sim.now - THROTTLE_WINDOW
        while self._history and self._history[0][0] < cutoff:
            self._history.popleft()
        sent = len(self._history)
        accepted = sum(ok for _, ok in self._history)
        return max(0.0, (sent - self.throttle * accepted) / (sent + 1))

    def _attempt(self, index: int) -> None:
        self.attempts[index] += 1
        self.sent.append(self.sim.now)
        ref = self.sim.new_ref()
        self._waiting[ref] = index
        self.sim.post("call", self.name, self.target, "request", reply_to=(self.name, ref),
                      request=self.ids[index])
        self.sim.after(self.timeout, self._timed_out, ref)

    def receive(self, message) -> None:
        """Take a reply: success, or a rejection to retry."""
        self.sim.stats.delivered += 1
        index = self._waiting.pop(message.ref, None)
        if index is None:
            self.sim.stats.late_replies += 1
            return
        self._record(message.body != REJECTED)
        if message.body == REJECTED:
            self._failed(index, "rejected")
        else:
            if self.budget is not None:
                self.tokens = min(BUDGET_CAP, self.tokens + self.budget)
            self._finish(index, "ok")

    def _timed_out(self, event) -> None:
        index = self._waiting.pop(event.value, None)
        if index is not None:
            self.sim.stats.timeouts += 1
            self._record(False)
            self._failed(index, "timed out")

    def _record(self, accepted: bool) -> None:
        if self.throttle is not None:
            self._history.append((self.sim.now, accepted))

    def _failed(self, index: int, outcome: str) -> None:
        if self.attempts[index] > self.retries:
            self._finish(index, outcome)
        elif self.tokens < 1.0:
            self.retries_denied += 1
            self._finish(index, outcome)
        else:
            self.tokens -= 1.0
            self._attempt(index)

    def _finish(self, index: int, outcome: str) -> None:
        self.ends[index] = self.sim.now
        self.outcomes[index] = outcome


def retrying_clients(sim, target: str, *, rate=None, schedule=None, timeout: float,
                     retries: int = 0, budget: float | None = None,
                     throttle: float | None = None, stop: float | None = None,
                     name: str = "phones") -> RetryingClients:
    """Send Poisson requests to *target* at *rate* (or on a *schedule*), retrying failures.

    Parameters
    ----------
    sim : Simulation
    target : str
        The server's name.
    rate : float, optional
        Requests per second; or give *schedule* (a RateSchedule, e.g.
        :func:`reactive_lab.core.sim.spike`).
    timeout : float
        Seconds a call waits for its reply, positive.
    retries : int, default 0
        Further attempts after a timeout or a rejection, 0 to 10.
    budget : float, optional
        Retry budget: tokens each success deposits (the bucket holds at most :data:`BUDGET_CAP`);
        None for no budget.
    throttle : float, optional
        K of adaptive throttling (SRE suggests 2), at least 1; None for none.
    stop : float, optional
        Send no request after this time.
    name : str
        The endpoint's address.

    Returns
    -------
    RetryingClients

    Raises
    ------
    ValueError
        If the clock is not given exactly once or a parameter is out of range.
    """
    if (rate is None) == (schedule is None):
        raise ValueError("rate and schedule must be given exactly once (got "
                         f"{'both' if rate is not None else 'neither'})")
    if rate is not None:
        schedule = RateSchedule(((0.0, arguments.positive("rate", rate)),))
    elif not isinstance(schedule, RateSchedule):
        raise ValueError(f"schedule must be a RateSchedule, e.g. spike(...) (got {schedule!r})")
    sim.endpoint(target)
    timeout = arguments.positive("timeout", timeout)
    retries = arguments.integer("retries", retries, low=0, high=10)
    if budget is not None:
        budget = arguments.real("budget", budget, low=0, high=10)
    if throttle is not None:
        throttle = arguments.real("throttle", throttle, low=1)
    stop = math.inf if stop is None else arguments.positive("stop", stop)
    clients = RetryingClients(sim, name, target, timeout, retries, budget, throttle)
    sim.register(clients)
    unit = sim.seeds.draws(Exponential(1.0))

    def arrive(_event):
        clients.begin()
        schedule_next()

    def schedule_next():
        at = schedule.next_arrival(sim.now, unit())
        if at <= stop:
            sim.after(at - sim.now, arrive)

    schedule_next()
    return clients
