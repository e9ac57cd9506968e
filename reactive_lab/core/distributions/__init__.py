"""Pluggable distributions for interarrival and service times, with their cdf and quantiles.

A queueing station needs two ingredients: how far apart customers arrive and how long each
one takes. Each class here is one such ingredient, described by its *mean* and its
*squared coefficient of variation* (``scv`` = variance / mean², the "burstiness": 0 for a
metronome, 1 for a Poisson stream, more than 1 for bursty traffic), and it can draw many
samples at once::

    >>> import reactive_lab as rl
    >>> service = rl.core.Erlang(k=4, rate=8.0)      # four phases of 1/8 s each
    >>> service.mean, service.scv
    (0.5, 0.25)
    >>> service.sample(rl.core.rng(1), size=3).shape
    (3,)

Latency targets are about the tail, not the mean, so each distribution also knows its
``cdf(x)`` (the fraction of times at most *x*), its quantile function ``ppf(q)`` (the time
below which a fraction *q* falls: ``ppf(0.99)`` is the p99) and its ``median``. Both accept
a number or a numpy array::

    >>> lookup = rl.core.LogNormal(mean=5.0, cv=1.0)
    >>> round(lookup.median, 3), round(lookup.ppf(0.99), 2)
    (3.536, 24.52)
    >>> lookup.cdf([0.0, lookup.median]).tolist()
    [0.0, 0.5]

Modules: :mod:`~reactive_lab.core.distributions.base` (the base class),
:mod:`~reactive_lab.core.distributions.classic` (exponential, deterministic, Erlang,
uniform, hyperexponential) and :mod:`~reactive_lab.core.distributions.lognormal`.

Parameters are checked when the object is built, so a bad distribution fails at once with a
``ValueError`` rather than deep inside a simulation.
"""

# Taught in chapters/00-queues/ and chapters/01-distribution/request-paths.md;
# keep names in sync.

from reactive_lab.core.distributions.base import Distribution
from reactive_lab.core.distributions.classic import (
    Deterministic,
    Erlang,
    Exponential,
    Hyperexponential,
    Uniform,
)
from reactive_lab.core.distributions.lognormal import LogNormal

__all__ = [
    "Deterministic",
    "Distribution",
    "Erlang",
    "Exponential",
    "Hyperexponential",
    "LogNormal",
    "Uniform",
]
