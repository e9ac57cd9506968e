# Taught in chapters/01-distribution/; keep names in sync.
"""A request crossing the cluster: latencies add along the path, and fan-out waits for the slowest.

Picture a payment arriving at a front-end node, passing to a logic node, which then asks k
service nodes (fraud check, balance, limits...) in parallel and can answer only when the last
of them has replied:

>>> import reactive_lab as rl
>>> hops = [rl.core.Deterministic(1.0), rl.core.Deterministic(2.0), rl.core.Exponential(1.0)]
>>> latency = rl.distribution.simulate_request_path(hops, fanout=10, requests=1000, seed=1)
>>> latency.shape
(1000,)

The theory beside it: the q-quantile of the slowest of k independent calls is
``F⁻¹(q ** (1/k))`` (:func:`slowest_of_k_quantile`), and the chance that at least one of
k calls is slower than its own p-quantile is ``1 - p**k`` (:func:`probability_hits_tail`).
"""

import math
from dataclasses import dataclass

import numpy as np

from reactive_lab import relay
from reactive_lab.core.arguments import integer, probability
from reactive_lab.core.distributions import Deterministic
from reactive_lab.core.metrics import percentiles
from reactive_lab.core.random import rng as _rng

__all__ = [
    "FANOUT_QUANTILES",
    "FanoutResult",
    "fanout_report",
    "probability_hits_tail",
    "simulate_request_path",
    "slowest_of_k_quantile",
]


def _draw(hop, generator, size, position):
    values = np.asarray(hop.sample(generator, size), dtype=float)
    if values.shape != (size,):
        raise ValueError(
            f"hops[{position}].sample(rng, {size}) must return {size} values, "
            f"got shape {values.shape}"
        )
    if np.any(values < 0) or not np.all(np.isfinite(values)):
        raise ValueError(f"hops[{position}] must give finite, non-negative latencies")
    return values


def simulate_request_path(hops, fanout=1, requests=10_000, seed=None):
    """Return the end-to-end latency of each of *requests* simulated requests, as an array.

    The request crosses ``hops[0], hops[1], ..., hops[-2]`` one after another, then the
    last hop is called on *fanout* services in parallel and the request waits for the
    slowest reply. So each request's latency is the sum of one draw from every serial hop
    plus the maximum of *fanout* independent draws from ``hops[-1]``. With ``fanout=1`` it
    is a plain sum. Network time, if you want it, is just another hop.

    Parameters
    ----------
    hops : sequence of distributions
        At least one; each needs ``.sample(rng, size)`` returning *size* non-negative
        floats, like :class:`reactive_lab.core.Exponential`. The last one is the fanned-out
        service.
    fanout : int, default 1
        Number k of parallel service calls, at least 1.
    requests : int, default 10_000
        Number of requests to simulate, at least 1.
    seed : int, numpy.random.Generator or None
        Same seed, same latencies.

    Returns
    -------
    numpy.ndarray
        Shape ``(requests,)``, in the time unit of the hops.

    Raises
    ------
    ValueError
        If *hops* is empty or holds something without ``.sample``, if *fanout* or
        *requests* is not a positive int, or if a hop returns the wrong number of values
        or negative ones.

    Examples
    --------
    >>> import reactive_lab as rl
    >>> hops = [rl.core.Deterministic(0.5), rl.core.Deterministic(2.0)]
    >>> rl.distribution.simulate_request_path(hops, fanout=3, requests=2, seed=0)
    array([2.5, 2.5])
    """
    if isinstance(hops, str | bytes) or not hasattr(hops, "__len__") or len(hops) == 0:
        raise ValueError(f"hops must be a non-empty sequence of distributions (got {hops!r})")
    unusable = [i for i, hop in enumerate(hops) if not callable(getattr(hop, "sample", None))]
    if unusable:
        first = unusable[0]
        raise ValueError(
            f"hops[{first}] must have a .sample(rng, size) method (got {hops[first]!r})"
        )
    fanout = integer("fanout", fanout, low=1)
    requests = integer("requests", requests, low=1)
    generator = _rng(seed)
    total = np.zeros(requests)
    for position, hop in enumerate(hops[:-1]):
        total += _draw(hop, generator, requests, position)
    services = _draw(hops[-1], generator, requests * fanout, len(hops) - 1)
    return total + services.reshape(requests, fanout).max(axis=1)


def slowest_of_k_quantile(q, k, quantile_function):
    """Return the q-quantile of the slowest of *k* independent calls: ``F⁻¹(q ** (1/k))``.

    The slowest of k calls is below t only if all k are, so its CDF is ``F(t) ** k``;
    solving ``F(t) ** k = q`` gives the formula. For k = 10 calls, the median of the
    slowest is each call's 93rd percentile (``0.5 ** 0.1 ≈ 0.933``), and the p99 of the
    slowest is each call's p99.9.

    Parameters
    ----------
    q : float
        The quantile wanted, in [0, 1].
    k : int
        Number of parallel calls, at least 1.
    quantile_function : callable
        ``F⁻¹`` of one call: maps a probability to a latency (e.g. ``scipy.stats`` ``ppf``).

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If *q* is not in [0, 1], *k* is not a positive int, or *quantile_function* is not
        callable.

    Examples
    --------
    >>> import math
    >>> import reactive_lab as rl
    >>> exponential_ppf = lambda u: -math.log1p(-u)  # rate 1
    >>> round(rl.distribution.slowest_of_k_quantile(0.5, 1, exponential_ppf), 4)
    0.6931
    >>> round(rl.distribution.slowest_of_k_quantile(0.5, 10, exponential_ppf), 4)
    2.7036
    """
    q = probability("q", q)
    k = integer("k", k, low=1)
    if quantile_function is None or not callable(quantile_function):
        raise ValueError(f"quantile_function must be callable (got {quantile_function!r})")
    return float(quantile_function(q ** (1 / k)))


def probability_hits_tail(k, p):
    """Return ``1 - p**k``: the chance that at least one of *k* calls is slower than its p-quantile.

    Each call independently beats its own p-quantile with probability p, so all k do with
    ``p**k``. With 100 calls per request, 63% of requests meet at least one call slower
    than its p99: a 1-in-100 event per call becomes the common case per request.

    Parameters
    ----------
    k : int
        Number of independent calls, at least 1.
    p : float
        The per-call quantile, in [0, 1] (0.99 for "slower than p99").

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If *k* is not a positive int or *p* not in [0, 1].

    Examples
    --------
    >>> import reactive_lab as rl
    >>> round(rl.distribution.probability_hits_tail(100, 0.99), 3)
    0.634
    """
    k = integer("k", k, low=1)
    p = probability("p", p)
    return -math.expm1(k * math.log(p)) if p > 0 else 1.0


FANOUT_QUANTILES = (50, 99)
"""The percentiles :func:`fanout_report` gives, simulated and exact."""


@dataclass(frozen=True)
class FanoutResult:
    """End-to-end latency (ms) of Relay requests fanning out to k lookups, simulated and exact."""

    fanout: int
    latencies_ms: np.ndarray
    baseline_ms: np.ndarray
    """The same requests with a single lookup, for comparison."""
    simulated: dict
    theory: dict
    baseline_theory: dict
    hits_tail: float
    """Share of requests in which at least one lookup is slower than its own p99."""


def fanout_report(fanout, requests=10_000, seed=2026) -> FanoutResult:
    """Simulate Relay requests that cross its two fixed hops and fan out to *fanout* lookups.

    The hops and the lookup come from :mod:`reactive_lab.relay` (``HOP_MS``,
    ``LOOKUP_MS``); the exact percentiles add the fixed hops to
    :func:`slowest_of_k_quantile` of the lookup.

    Examples
    --------
    >>> import reactive_lab as rl
    >>> r = rl.distribution.fanout_report(10, requests=2_000, seed=1)
    >>> r.theory[50] > r.baseline_theory[50]
    True
    """
    fanout = integer("fanout", fanout, low=1)
    serial = [Deterministic(v) for v in relay.HOP_MS.values()]
    fixed = sum(relay.HOP_MS.values())

    def run(k):
        return simulate_request_path(serial + [relay.LOOKUP_MS], fanout=k, requests=requests,
                                     seed=seed)

    def exact(k):
        return {q: fixed + slowest_of_k_quantile(q / 100, k, relay.LOOKUP_MS.ppf)
                for q in FANOUT_QUANTILES}

    latencies = run(fanout)
    return FanoutResult(
        fanout=fanout,
        latencies_ms=latencies,
        baseline_ms=latencies if fanout == 1 else run(1),
        simulated={int(q): v for q, v in percentiles(latencies, FANOUT_QUANTILES).items()},
        theory=exact(fanout),
        baseline_theory=exact(1),
        hits_tail=probability_hits_tail(fanout, 0.99),
    )
