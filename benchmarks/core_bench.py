"""Time the fast station against the idiomatic simpy model of the same system.

The design budget: :func:`reactive_lab.core.simulate_station` must be at least 3x (goal 5x)
faster than a simpy model with one process per customer and a ``simpy.Resource``, measured
in the same run. Both models draw the same random numbers (same seed), so they do the same
work and produce the same sample path; only the machinery differs.

Run it alone with ``python -m benchmarks.core_bench`` (prints JSON), or through
``make bench``.
"""

from __future__ import annotations

import json
import statistics
import time

from reactive_lab.core import Exponential, simulate_station, simulate_station_simpy

__all__ = ["bench_core"]

SYSTEMS = [
    # (label, arrival rate, service rate, servers): both at utilisation 0.9
    ("M/M/1 rho=0.9", 0.9, 1.0, 1),
    ("M/M/4 rho=0.9", 3.6, 1.0, 4),
]


def _seconds(model, arrival, service, servers, customers, seed) -> float:
    start = time.perf_counter()
    model(arrival, service, servers=servers, customers=customers, seed=seed)
    return time.perf_counter() - start


def bench_core(customers: int = 50_000, repeats: int = 5) -> list[dict]:
    """Return one record per model and system: median speed-up and customers per second.

    For each system the two models run alternately *repeats* times on the same seed; the
    speed-up is the median over repeats of (simpy time / fast time), so both sides of each
    ratio see the same machine load.

    Parameters
    ----------
    customers : int, default 50_000
        Customers per run.
    repeats : int, default 5
        Timed runs per model and system (after one untimed warm-up run each).

    Returns
    -------
    list of dict
        Keys ``model``, ``system``, ``customers``, ``median_seconds``,
        ``customers_per_s`` and ``speedup_vs_idiomatic_simpy`` (1.0 for simpy itself).

    Examples
    --------
    >>> records = bench_core(customers=2_000, repeats=1)
    >>> sorted({r["model"] for r in records})
    ['idiomatic simpy', 'simulate_station']
    """
    if repeats < 1 or customers < 1:
        raise ValueError(f"customers and repeats must be positive (got {customers}, {repeats})")
    records = []
    for label, arrival_rate, service_rate, servers in SYSTEMS:
        arrival, service = Exponential(arrival_rate), Exponential(service_rate)
        args = (arrival, service, servers, customers)
        for model in (simulate_station, simulate_station_simpy):
            _seconds(model, *args, seed=0)  # warm caches and imports
        fast, slow = [], []
        for repeat in range(repeats):
            fast.append(_seconds(simulate_station, *args, seed=repeat))
            slow.append(_seconds(simulate_station_simpy, *args, seed=repeat))
        speedup = statistics.median(s / f for s, f in zip(slow, fast))
        for name, times, ratio in (
            ("simulate_station", fast, speedup),
            ("idiomatic simpy", slow, 1.0),
        ):
            median = statistics.median(times)
            records.append(
                {
                    "model": name,
                    "system": label,
                    "customers": customers,
                    "median_seconds": median,
                    "customers_per_s": customers / median,
                    "speedup_vs_idiomatic_simpy": ratio,
                }
            )
    return records


if __name__ == "__main__":
    print(json.dumps(bench_core(), indent=2))
