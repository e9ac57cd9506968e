"""An M/M/c pool of servers under load: simulated latency percentiles beside the exact ones.

The models behind the page "Why queues decide latency": each function simulates the pool
with :func:`reactive_lab.core.simulate_mmc` and returns the numbers next to the closed forms
of :mod:`reactive_lab.theory`, so a page, an explorable or a test can compare them.

>>> point = load_point(servers=2, load=0.5, customers=2_000, seed=1)
>>> sorted(point.simulated)
[50, 95, 99]
"""

# Taught in chapters/00-queues/; keep names in sync.

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from reactive_lab import core, relay, theory

__all__ = [
    "CUSTOMERS",
    "PERCENTILES",
    "SEED",
    "SERVICE_RATE",
    "LoadPoint",
    "WaitTail",
    "load_point",
    "percentile_curves",
    "wait_tail",
]

SERVICE_RATE = relay.LOGIC_SERVICE_RATE
"""Requests per second one server completes: one of Relay's logic nodes, 10 ms mean work."""

PERCENTILES = (50, 95, 99)
CUSTOMERS = 100_000
"""Requests per simulated load test. Near saturation consecutive latencies are strongly
correlated, so a p99 from 20,000 requests at 90% load on 4 servers scatters by ±40% from
seed to seed; 100,000 bring that to about ±15% and still simulate in ~20 ms."""
SEED = 2026
MS = 1000.0
"""Milliseconds per second: the models compute in seconds and report in ms."""


@dataclass(frozen=True)
class LoadPoint:
    """Simulated and theoretical latency percentiles (ms) of an M/M/c pool at one load."""

    servers: int
    load: float
    simulated: dict
    theory: dict
    wait_probability_simulated: float
    wait_probability_theory: float


def _load_test(servers, load, customers, seed):
    """Simulate the pool at *load* (dropping a tenth as warm-up) beside its exact metrics."""
    arrival_rate = load * servers * SERVICE_RATE
    run = core.simulate_mmc(arrival_rate, SERVICE_RATE, servers, customers, seed=seed,
                            warmup=customers // 10)
    return run, theory.mmc(arrival_rate, SERVICE_RATE, servers)


def load_point(servers, load, customers=CUSTOMERS, seed=SEED) -> LoadPoint:
    """Return latency percentiles of a pool at utilisation *load*, simulated and exact."""
    run, exact = _load_test(servers, load, customers, seed)
    simulated = {q: v * MS for q, v in core.percentiles(run.response_times, PERCENTILES).items()}
    return LoadPoint(
        servers=servers,
        load=load,
        simulated={int(q): v for q, v in simulated.items()},
        theory={q: exact.response_percentile(q) * MS for q in PERCENTILES},
        wait_probability_simulated=float(np.mean(run.waits > 0)),
        wait_probability_theory=exact.wait_probability,
    )


def percentile_curves(servers, loads):
    """Return the exact p50, p95 and p99 response times (ms) of the pool at each load.

    >>> curves = percentile_curves(1, [0.5])
    >>> round(curves[50][0], 1)
    13.9
    """
    curves = {q: [] for q in PERCENTILES}
    for load in loads:
        exact = theory.mmc(load * servers * SERVICE_RATE, SERVICE_RATE, servers)
        for q in PERCENTILES:
            curves[q].append(exact.response_percentile(q) * MS)
    return curves


@dataclass(frozen=True)
class WaitTail:
    """Where the waiting-time tail of a simulated M/M/c pool is checked against Erlang C."""

    servers: int
    load: float
    times_ms: np.ndarray
    simulated_tail: np.ndarray
    theory_tail: np.ndarray
    mean_wait_ms: core.ConfidenceInterval
    mean_wait_theory_ms: float
    wait_probability_simulated: float
    wait_probability_theory: float


def wait_tail(servers, load, customers=CUSTOMERS, seed=SEED) -> WaitTail:
    """Return the simulated and exact P(wait > t) of an M/M/c pool, t in ms."""
    run, exact = _load_test(servers, load, customers, seed)
    waits_ms = np.sort(run.waits * MS)
    horizon = exact.wait_percentile(99.9) * MS if exact.wait_probability > 0.001 else 10.0
    times = np.linspace(0, max(horizon, 1.0), 60)
    # P(W > t) from the sorted sample: the share of waits strictly above t.
    simulated = 1 - np.searchsorted(waits_ms, times, side="right") / len(waits_ms)
    drain = servers * SERVICE_RATE * (1 - load)  # cμ − λ
    return WaitTail(
        servers=servers,
        load=load,
        times_ms=times,
        simulated_tail=simulated,
        theory_tail=exact.wait_probability * np.exp(-drain * times / MS),
        mean_wait_ms=core.batch_means_ci(run.waits * MS),
        mean_wait_theory_ms=exact.mean_wait * MS,
        wait_probability_simulated=float(np.mean(run.waits > 0)),
        wait_probability_theory=exact.wait_probability,
    )
