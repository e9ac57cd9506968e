"""Calls with a timeout: how often a slow reply is mistaken for a failure, and what it costs.

Picture a logic node calling Relay's user directory with ``gen_server:call(Dir, Req, T)``.
If the reply takes longer than *T*, the caller gives up, though the directory did the
lookup and its reply is on the way: a **false timeout**. With *r* retries each timed-out
attempt is sent again, and the directory does the work again. This module runs that on
the simulation core (an open stream of calls to a server with as many workers as it
needs, so every call's latency is an independent draw) and sets the counts beside their
closed forms in :mod:`reactive_lab.theory.retries`:

>>> import reactive_lab as rl
>>> r = timeout_report(rl.relay.LOOKUP_MS, timeout=10.0, retries=1, requests=2_000, seed=1)
>>> round(r.false_timeout_theory, 3)                   # P(lookup > 10 ms)
0.106
>>> abs(r.false_timeout_rate - r.false_timeout_theory) < 0.03
True
"""

# Taught in chapters/02-interfaces/calls.md; keep names in sync.

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from reactive_lab.core import arguments
from reactive_lab.core.distributions import Exponential
from reactive_lab.core.sim import Simulation, open_loop
from reactive_lab.theory.retries import (
    expected_attempts,
    false_timeout_rate,
    residual_failure,
)

__all__ = ["TimeoutReport", "timeout_report"]

_WORKERS = 10_000
"""Workers of the simulated callee: enough that no call ever queues."""


@dataclass(frozen=True)
class TimeoutReport:
    """What a timeout did to a stream of calls, simulated and in closed form."""

    timeout: float
    retries: int
    requests: int
    attempts: int
    """Calls sent, retries included."""
    attempts_each: np.ndarray
    """Calls sent for each request (1 + the retries it used)."""
    timeouts: int
    """Attempts the caller gave up on; every one was answered later (a false timeout)."""
    failed: int
    """Requests whose every attempt timed out."""
    latencies: np.ndarray
    """Time from a request's start to its reply, for the requests that got one."""
    false_timeout_theory: float
    attempts_theory: float
    failed_theory: float

    @property
    def false_timeout_rate(self) -> float:
        """Share of attempts that timed out although the callee answered."""
        return self.timeouts / self.attempts

    @property
    def attempts_per_request(self) -> float:
        """Calls per request: the load the callee sees, relative to one call each."""
        return self.attempts / self.requests

    @property
    def wasted_work(self) -> float:
        """Share of the callee's work whose reply nobody was waiting for."""
        return self.timeouts / self.attempts


def timeout_report(latency, timeout: float, retries: int = 0, requests: int = 2_000,
                   seed=None) -> TimeoutReport:
    """Simulate *requests* calls with *timeout* and *retries*; return counts and theory.

    Parameters
    ----------
    latency : Distribution
        Round-trip time of one call (the callee's service time; the network adds none).
    timeout : float
        How long each attempt waits, above 0, in the latency's unit.
    retries : int, default 0
        Further attempts after a timeout, 0 to 5, sent at once.
    requests : int, default 2,000
        Requests to simulate, 100 to 200,000.
    seed : int, optional

    Raises
    ------
    ValueError
        If a parameter is out of range.

    Examples
    --------
    >>> from reactive_lab.core import Deterministic
    >>> r = timeout_report(Deterministic(2.0), timeout=1.0, retries=2, requests=100)
    >>> r.attempts_per_request, r.failed                 # every attempt times out
    (3.0, 100)
    """
    arguments.sampler("latency", latency)
    timeout = arguments.positive("timeout", timeout)
    retries = arguments.integer("retries", retries, low=0, high=5)
    requests = arguments.integer("requests", requests, low=100, high=200_000)
    sim = Simulation(seed=seed, record_queues=False)
    sim.spawn("callee", lambda ctx, body: ctx.reply("done"), service=latency,
              workers=_WORKERS)
    # Arrivals about one per mean latency: no queue forms with this many workers.
    clients = open_loop(sim, "callee", interarrival=Exponential(1.0 / latency.mean),
                        requests=requests, timeout=timeout, retries=retries)
    horizon = latency.mean * requests * 4 + timeout * (retries + 1) * 2 + latency.ppf(0.9999)
    sim.run(until=horizon)
    outcomes = np.asarray(clients.outcomes)
    ends, starts = np.asarray(clients.ends), np.asarray(clients.starts)
    ok = outcomes == "ok"
    p = false_timeout_rate(latency, timeout)
    return TimeoutReport(
        timeout=timeout, retries=retries, requests=len(outcomes),
        attempts=int(np.sum(clients.attempts)), attempts_each=np.asarray(clients.attempts),
        timeouts=sim.stats.timeouts,
        failed=int(np.sum(outcomes == "timed out")), latencies=(ends - starts)[ok],
        false_timeout_theory=p, attempts_theory=expected_attempts(p, retries),
        failed_theory=residual_failure(p, retries),
    )
