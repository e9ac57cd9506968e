"""Closed forms for availability: nines, MTBF/MTTR, block diagrams and the phi detector.

Picture a light bulb that burns out now and then and is replaced: it shines for a mean
time between failures (MTBF), is dark for a mean time to repair (MTTR), and in the long
run shines a fraction ``MTBF / (MTBF + MTTR)`` of the time. Systems are built from such
parts: in **series** every part must be up (a request crosses all of them), in
**parallel** one is enough (replicas), and **k-of-n** needs any *k* of *n* (a majority).
All three assume the parts fail independently; correlated failures break the algebra.

    >>> import reactive_lab as rl
    >>> a = rl.theory.steady_state_availability(mtbf=999.0, mttr=1.0)
    >>> round(rl.theory.nines(a), 3), round(rl.theory.parallel(a, a), 6)
    (3.0, 0.999999)

The phi accrual failure detector (Hayashibara et al., 2004) turns the time since the last
heartbeat into a suspicion level ``phi = -log10 P(a heartbeat comes later still)``;
:func:`phi` computes it with the exact normal tail, :func:`phi_akka` with the logistic
approximation Akka and Apache Pekko use.
"""

# Taught in chapters/03-availability/index.md and detection.md; keep names in sync.

from __future__ import annotations

import math

from scipy import special

from reactive_lab.core import arguments

__all__ = [
    "SECONDS_PER_YEAR",
    "availability_for_nines",
    "downtime_per_year",
    "k_of_n",
    "nines",
    "parallel",
    "phi",
    "phi_akka",
    "phi_timeout",
    "series",
    "steady_state_availability",
]

SECONDS_PER_YEAR = 365.25 * 24 * 3600
"""A Julian year in seconds: the year the downtime budgets are quoted over."""

_LN10 = math.log(10.0)


def steady_state_availability(mtbf: float, mttr: float) -> float:
    """Return the long-run fraction of time a repairable part is up: MTBF / (MTBF + MTTR).

    It holds whatever the distributions of up and down times (a renewal argument): only
    the means matter.

    Raises
    ------
    ValueError
        If *mtbf* is not positive or *mttr* is negative.

    Examples
    --------
    >>> steady_state_availability(mtbf=30 * 24.0, mttr=1.0)  # a month up, an hour down
    0.9986130374479889
    """
    mtbf = arguments.positive("mtbf", mtbf)
    mttr = arguments.real("mttr", mttr, low=0)
    return mtbf / (mtbf + mttr)


def _availabilities(values) -> list[float]:
    if not values:
        raise ValueError("availabilities must be at least one number from 0 to 1 (got none)")
    return [arguments.probability("availability", a) for a in values]


def series(*availabilities: float) -> float:
    """Return the availability of parts that must all be up: the product.

    >>> round(series(0.999, 0.999, 0.999), 6)  # three hops of three nines
    0.997003
    """
    return math.prod(_availabilities(availabilities))


def parallel(*availabilities: float) -> float:
    """Return the availability of replicas of which one is enough: 1 - product of (1 - a).

    >>> round(parallel(0.99, 0.99), 6)
    0.9999
    """
    return 1.0 - math.prod(1.0 - a for a in _availabilities(availabilities))


def k_of_n(k: int, n: int, availability: float) -> float:
    """Return the probability that at least *k* of *n* independent parts are up.

    Each part is up with probability *availability*: a binomial tail. ``k_of_n(1, n, a)``
    is :func:`parallel`, ``k_of_n(n, n, a)`` is :func:`series`, and a majority of three is
    ``k_of_n(2, 3, a) = 3a^2 - 2a^3``.

    Raises
    ------
    ValueError
        If *n* is not an int from 1 to 10,000, *k* not from 1 to *n*, or *availability*
        not a probability.

    Examples
    --------
    >>> round(k_of_n(2, 3, 0.99), 6)
    0.999702
    """
    n = arguments.integer("n", n, low=1, high=10_000)
    k = arguments.integer("k", k, low=1, high=n)
    a = arguments.probability("availability", availability)
    return float(sum(math.comb(n, i) * a**i * (1 - a) ** (n - i) for i in range(k, n + 1)))


def nines(availability: float) -> float:
    """Return the number of nines of *availability*: -log10(1 - availability).

    0.999 is 3 nines, 0.9995 about 3.3; a perfect 1.0 has infinitely many.

    >>> round(nines(0.9999), 6)
    4.0
    """
    a = arguments.probability("availability", availability)
    return math.inf if a == 1.0 else -math.log10(1.0 - a)


def availability_for_nines(count: float) -> float:
    """Return the availability with *count* nines: 1 - 10**-count.

    >>> availability_for_nines(3)
    0.999
    """
    count = arguments.real("count", count, low=0, high=15)
    return 1.0 - 10.0**-count


def downtime_per_year(availability: float) -> float:
    """Return the downtime budget, in seconds per year, that *availability* allows.

    >>> round(downtime_per_year(0.99999) / 60, 2)  # five nines: about five minutes
    5.26
    """
    return (1.0 - arguments.probability("availability", availability)) * SECONDS_PER_YEAR


def _phi_arguments(elapsed, mean, std):
    elapsed = arguments.real("elapsed", elapsed, low=0)
    mean = arguments.positive("mean", mean)
    std = arguments.positive("std", std)
    return (elapsed - mean) / std


def phi(elapsed: float, mean: float, std: float) -> float:
    """Return the suspicion level of a peer silent for *elapsed* seconds, exactly.

    If gaps between heartbeats are normal with *mean* and *std*, the probability that
    the next heartbeat comes even later than *elapsed* is the normal tail
    ``Q(y) = 1 - Phi((elapsed - mean) / std)``; phi is ``-log10 Q(y)``. Phi 1 means a
    10 % chance the peer is merely late, phi 8 one in 10^8. Computed through the log of the
    tail, so it stays exact far into it (phi 100 and beyond).

    Raises
    ------
    ValueError
        If *elapsed* is negative or *mean* or *std* not positive.

    Examples
    --------
    >>> round(phi(1.0, mean=1.0, std=0.1), 4)  # at the mean: half the heartbeats are later
    0.301
    >>> round(phi(1.5, mean=1.0, std=0.1), 2)  # five standard deviations late
    6.54
    """
    y = _phi_arguments(elapsed, mean, std)
    return float(-special.log_ndtr(-y) / _LN10)


def phi_akka(elapsed: float, mean: float, std: float) -> float:
    """Return phi as Akka (and Apache Pekko) compute it: a logistic tail, not the normal.

    Akka's ``PhiAccrualFailureDetector`` replaces the normal CDF by
    ``1 / (1 + exp(-y (1.5976 + 0.070566 y^2)))``, close to it (within 0.00014) near the
    mean but with a tail that falls faster: far from the mean the approximation is more
    suspicious than the exact normal. The *mean* Akka passes includes its
    ``acceptable-heartbeat-pause`` (see :func:`reactive_lab.availability.akka_timeout`).

    Examples
    --------
    >>> round(phi_akka(1.5, mean=1.0, std=0.1), 2)  # exact: 6.54
    7.3
    """
    y = _phi_arguments(elapsed, mean, std)
    exponent = -y * (1.5976 + 0.070566 * y * y)
    # log10 of e / (1 + e), written to stay finite when e over- or underflows.
    log_tail = exponent - _log1p_exp(exponent)
    return float(-log_tail / _LN10)


def _log1p_exp(x: float) -> float:
    return x + math.log1p(math.exp(-x)) if x > 0 else math.log1p(math.exp(x))


def phi_timeout(threshold: float, mean: float, std: float) -> float:
    """Return the silence after which the exact phi reaches *threshold*.

    It is ``mean + std * z`` with ``Q(z) = 10**-threshold``; with normal gaps, a live
    peer's gap exceeds it with probability exactly ``10**-threshold``.

    Raises
    ------
    ValueError
        If *threshold* is not from 0.01 to 300, or *mean* or *std* not positive.

    Examples
    --------
    >>> round(phi_timeout(8.0, mean=1.0, std=0.1), 3)
    1.561
    """
    threshold = arguments.real("threshold", threshold, low=0.01, high=300)
    mean = arguments.positive("mean", mean)
    std = arguments.positive("std", std)
    z = -special.ndtri_exp(-threshold * _LN10)
    return float(mean + std * z)
