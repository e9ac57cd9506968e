"""Lab 1's fan-out request, exactly: the distribution exercise 6's simulations must match.

A lab request crosses Relay's fixed hops (:data:`reactive_lab.relay.HOP_MS`) and then waits
for the slowest of ``fanout`` parallel lookups drawn from a service-time distribution. Its
exact quantile is ``FIXED_MS + F^-1(q^(1/k))``, the chapter's formula.

With N simulated requests the sample p99 sits, in probability, within about
``z * sqrt(0.99 * 0.01 / N)`` of 0.99 (the order statistic of N uniforms); the check maps a
learner's value through the exact distribution and accepts it within that band at the
two-sided 99.99% normal quantile, so an honest simulation fails a probe about once in 10,000.

>>> from reactive_lab import core
>>> service = core.Exponential(rate=0.5)
>>> q = request_quantile(0.99, service, 12)
>>> round(request_cdf(q, service, 12), 12)
0.99
"""

from __future__ import annotations

import math

from reactive_lab import core, relay
from reactive_lab import distribution as dist

__all__ = ["BAND_CONFIDENCE", "FIXED_MS", "p99_band", "request_cdf", "request_quantile"]

FIXED_MS = sum(relay.HOP_MS.values())
"""Relay's fixed hops a request crosses: a front-end node and a logic node."""

BAND_CONFIDENCE = 0.9999
"""How often an honest simulation's p99 lands in the band :func:`p99_band` gives."""

_Z = core.normal_quantile(BAND_CONFIDENCE)


def request_quantile(q: float, service, fanout: int) -> float:
    """Exact q-quantile of a lab request: FIXED_MS + the slowest of ``fanout`` lookups.

    ``service`` is any :mod:`reactive_lab.core` distribution (they all have ``ppf``).
    """
    return FIXED_MS + dist.slowest_of_k_quantile(q, fanout, service.ppf)


def request_cdf(t: float, service, fanout: int) -> float:
    """Exact P(request latency <= t): every one of the ``fanout`` lookups must be done."""
    return float(service.cdf(max(t - FIXED_MS, 0.0))) ** fanout


def p99_band(requests: int) -> float:
    """Half-width, in probability, of the band around 0.99 a simulated p99 must fall in.

    >>> round(p99_band(20_000), 5)
    0.00284
    """
    return _Z * math.sqrt(0.99 * 0.01 / requests) + 2 / requests
