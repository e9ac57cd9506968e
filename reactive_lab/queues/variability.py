"""Variability decides the wait too: one server, the same mean work, growing variability.

The model behind the variability explorable of "Why queues decide latency": an M/G/1
server simulated with :func:`reactive_lab.core.simulate_station`, beside the
Pollaczek–Khinchine mean wait of :func:`reactive_lab.theory.mg1_mean_wait`.

>>> point = variability_point("constant", 0.5, customers=2_000, seed=1)
>>> round(point.exact_mean_wait_ms, 2)
5.0
"""

# Taught in chapters/00-queues/; keep names in sync.

from __future__ import annotations

from dataclasses import dataclass

from reactive_lab import core, theory
from reactive_lab.queues.pool import CUSTOMERS, MS, SEED, SERVICE_RATE

__all__ = ["SERVICE_TIMES", "VariabilityPoint", "mean_wait_curve", "variability_point"]

SERVICE_TIMES = {
    "constant": core.Deterministic(1 / SERVICE_RATE),
    "Erlang-4": core.Erlang(4, 4 * SERVICE_RATE),
    "exponential": core.Exponential(SERVICE_RATE),
    "log-normal, cv 1.5": core.LogNormal(1 / SERVICE_RATE, 1.5),
    "log-normal, cv 3": core.LogNormal(1 / SERVICE_RATE, 3.0),
}
"""Service-time distributions with the same 10 ms mean and growing variability."""



def mean_wait_curve(service, loads):
    """Return the Pollaczek–Khinchine mean wait (ms) of one server with *service* work.

    >>> [round(w, 1) for w in mean_wait_curve("exponential", [0.5])]
    [10.0]
    """
    work = SERVICE_TIMES[service]
    return [theory.mg1_mean_wait(load / work.mean, work.mean, work.scv) * MS for load in loads]


@dataclass(frozen=True)
class VariabilityPoint:
    """Mean wait of one server at one load: simulated (with its CI) and Pollaczek–Khinchine."""

    service: str
    load: float
    mean_wait_ms: core.ConfidenceInterval
    exact_mean_wait_ms: float
    p99_response_ms: float


def variability_point(service, load, customers=CUSTOMERS, seed=SEED) -> VariabilityPoint:
    """Return the simulated and exact mean wait of an M/G/1 server with *service* times."""
    work = SERVICE_TIMES[service]
    arrival_rate = load / work.mean
    run = core.simulate_station(core.Exponential(arrival_rate), work, servers=1,
                                customers=customers, seed=seed, warmup=customers // 10)
    return VariabilityPoint(
        service=service,
        load=load,
        mean_wait_ms=core.batch_means_ci(run.waits * MS),
        exact_mean_wait_ms=theory.mg1_mean_wait(arrival_rate, work.mean, work.scv) * MS,
        p99_response_ms=run.percentile(99) * MS,
    )
