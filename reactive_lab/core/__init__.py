"""Shared simulation machinery: seeded randomness, distributions, the station, metrics.

    >>> import reactive_lab as rl
    >>> run = rl.core.simulate_mmc(arrival_rate=0.5, service_rate=1.0, customers=1_000, seed=1)
    >>> run.customers
    1000

Modules: :mod:`~reactive_lab.core.random` (``rng``),
:mod:`~reactive_lab.core.distributions` (interarrival and service times),
:mod:`~reactive_lab.core.station` (the fast G/G/c station),
:mod:`~reactive_lab.core.baseline` (the same station in idiomatic simpy),
:mod:`~reactive_lab.core.metrics` (percentiles; intervals for a mean, a quantile, a
proportion; normal quantiles), :mod:`~reactive_lab.core.arguments` (argument checks) and
:mod:`~reactive_lab.core.sim` (processes and messages over a faulty network).
"""

from reactive_lab.core import sim
from reactive_lab.core.baseline import simulate_station_simpy
from reactive_lab.core.distributions import (
    Deterministic,
    Distribution,
    Erlang,
    Exponential,
    Hyperexponential,
    LogNormal,
    Uniform,
)
from reactive_lab.core.metrics import (
    ConfidenceInterval,
    Interval,
    batch_means_ci,
    mean_ci,
    normal_quantile,
    percentiles,
    quantile_ci,
    wilson_ci,
)
from reactive_lab.core.random import rng
from reactive_lab.core.station import (
    StationRun,
    fifo_start_times,
    simulate_mmc,
    simulate_station,
    time_average_in_system,
)

__all__ = [
    "ConfidenceInterval",
    "Deterministic",
    "Distribution",
    "Erlang",
    "Exponential",
    "Hyperexponential",
    "Interval",
    "LogNormal",
    "StationRun",
    "Uniform",
    "batch_means_ci",
    "fifo_start_times",
    "mean_ci",
    "normal_quantile",
    "percentiles",
    "quantile_ci",
    "rng",
    "sim",
    "simulate_mmc",
    "simulate_station",
    "simulate_station_simpy",
    "time_average_in_system",
    "wilson_ci",
]
