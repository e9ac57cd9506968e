"""Summaries of simulation output: percentiles and confidence intervals.

Three kinds of interval, for three kinds of question: a mean (:func:`mean_ci`, and
:func:`batch_means_ci` for correlated samples such as a queue's waits), a percentile
(:func:`quantile_ci`: "is the p99 really below 200 ms?") and a proportion
(:func:`wilson_ci`: "what share of requests missed the deadline?"). :func:`normal_quantile`
gives the *z* behind a ``± z`` band, so tests derive their tolerances instead of typing them.

A simulation gives an *estimate*; a confidence interval says how far to trust it. The
catch, in queueing, is that consecutive waiting times are strongly correlated: if you
waited long, the customer behind you probably waits long too. Treating them as independent
gives an interval that is far too narrow. The method of *batch means* fixes this: cut the
run into a few long consecutive batches, whose means are nearly independent, and build a
Student-t interval from those batch means.

    >>> import reactive_lab as rl
    >>> run = rl.core.simulate_mmc(0.8, 1.0, customers=50_000, seed=4, warmup=5_000)
    >>> ci = rl.core.batch_means_ci(run.waits)
    >>> ci.contains(rl.theory.mm1(0.8, 1.0).mean_wait)
    True
"""

# Taught in chapters/00-queues/, chapters/01-distribution/request-paths.md and
# solutions/00-warm-up.ipynb; keep names in sync.

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import special, stats

from reactive_lab.core import arguments

__all__ = [
    "ConfidenceInterval",
    "Interval",
    "batch_means_ci",
    "mean_ci",
    "normal_quantile",
    "percentiles",
    "quantile_ci",
    "wilson_ci",
]


@dataclass(frozen=True)
class ConfidenceInterval:
    """A mean estimate with its interval ``[low, high] = mean ± half_width``."""

    mean: float
    half_width: float
    low: float
    high: float

    def contains(self, value: float) -> bool:
        """Return True if *value* lies inside the interval (ends included)."""
        return self.low <= value <= self.high


@dataclass(frozen=True)
class Interval:
    """An *estimate* with a confidence interval ``[low, high]`` that need not be symmetric.

    Percentile and proportion intervals lean towards the longer side of the data, so they
    are not ``estimate ± half_width``.
    """

    estimate: float
    low: float
    high: float

    def contains(self, value: float) -> bool:
        """Return True if *value* lies inside the interval (ends included)."""
        return self.low <= value <= self.high


def _as_samples(samples, minimum: int) -> np.ndarray:
    values = np.asarray(samples, dtype=float).ravel()
    if values.size < minimum:
        plural = "value" if minimum == 1 else "values"
        raise ValueError(f"samples must hold at least {minimum} {plural} (got {values.size})")
    if not np.isfinite(values).all():
        first = values[~np.isfinite(values)][0]
        raise ValueError(f"samples must be finite numbers (got {float(first)!r})")
    return values


def _confidence(confidence) -> float:
    return arguments.real("confidence", confidence, low=0, high=1, low_open=True, high_open=True)


def _t_interval(values: np.ndarray, confidence: float) -> ConfidenceInterval:
    mean = float(values.mean())
    t = stats.t.ppf((1 + confidence) / 2, df=values.size - 1)
    half_width = float(t * values.std(ddof=1) / math.sqrt(values.size))
    return ConfidenceInterval(mean, half_width, mean - half_width, mean + half_width)


def percentiles(samples, qs=(50, 95, 99)) -> dict[float, float]:
    """Return ``{q: q-th percentile}`` of *samples* for each *q* in *qs*.

    Latency targets are written as percentiles ("p99 under 200 ms") because the mean hides
    the slow tail that users notice.

    Parameters
    ----------
    samples : array_like
        Observed values, e.g. ``run.response_times``; at least one.
    qs : sequence of float, default (50, 95, 99)
        Percentiles to report, each in [0, 100].

    Returns
    -------
    dict of float to float

    Raises
    ------
    ValueError
        If *samples* is empty or not finite, or a *q* is outside [0, 100].

    Examples
    --------
    >>> percentiles(range(1, 101), qs=(50, 99))
    {50.0: 50.5, 99.0: 99.01}
    """
    values = _as_samples(samples, 1)
    qs = [arguments.real("qs entries", q, low=0, high=100) for q in np.atleast_1d(qs).tolist()]
    return {q: float(v) for q, v in zip(qs, np.percentile(values, qs))}


def batch_means_ci(samples, batches: int = 30, confidence: float = 0.99) -> ConfidenceInterval:
    """Return a Student-t confidence interval for the mean of correlated *samples*.

    Waiting times in a queue are autocorrelated, so an i.i.d. interval
    (:func:`mean_ci`) would be too narrow and would claim precision the run does not have.
    Here the samples are cut into *batches* consecutive, equal-sized batches (the few
    leftover samples at the start are dropped); if the batches are long compared with the
    correlation time, their means are nearly independent and normal, and the interval is
    ``mean ± t(confidence, batches-1) * sd(batch means) / sqrt(batches)``.

    Parameters
    ----------
    samples : array_like
        Observations in time order, e.g. ``run.waits`` after a warm-up.
    batches : int, default 30
        Number of batches, at least 2 and at most ``len(samples)``; 20-30 is customary.
    confidence : float, default 0.99
        Coverage probability, strictly between 0 and 1.

    Returns
    -------
    ConfidenceInterval

    Raises
    ------
    ValueError
        If *batches* is below 2 or exceeds the number of samples, or *confidence* is not
        in (0, 1).

    Examples
    --------
    >>> ci = batch_means_ci(np.arange(100.0), batches=4, confidence=0.95)
    >>> ci.mean, round(ci.half_width, 2)
    (49.5, 51.36)
    """
    batches = arguments.integer("batches", batches, low=2)
    confidence = _confidence(confidence)
    values = _as_samples(samples, batches)
    size = values.size // batches
    batch_means = values[values.size - size * batches :].reshape(batches, size).mean(axis=1)
    return _t_interval(batch_means, confidence)


def mean_ci(samples, confidence: float = 0.99) -> ConfidenceInterval:
    """Return a Student-t confidence interval for the mean of independent *samples*.

    Use it only for independent observations (one number per seeded replication, say);
    for a queue's consecutive waits use :func:`batch_means_ci`.

    Parameters
    ----------
    samples : array_like
        Independent observations, at least two.
    confidence : float, default 0.99
        Coverage probability, strictly between 0 and 1.

    Returns
    -------
    ConfidenceInterval

    Raises
    ------
    ValueError
        If there are fewer than two samples or *confidence* is not in (0, 1).

    Examples
    --------
    >>> ci = mean_ci([9.0, 10.0, 11.0], confidence=0.95)
    >>> ci.mean, round(ci.half_width, 3)
    (10.0, 2.484)
    """
    confidence = _confidence(confidence)
    return _t_interval(_as_samples(samples, 2), confidence)


def normal_quantile(confidence: float, two_sided: bool = True) -> float:
    """Return the *z* of a normal band that holds a fraction *confidence* of outcomes.

    Two-sided, ``P(|Z| <= z) = confidence``: an estimate with standard error *se* lands
    within ``± z * se`` of the truth that often. One-sided, ``P(Z <= z) = confidence``.
    Tests use it to turn "fail about once in 10,000 seeds" into a tolerance.

    Parameters
    ----------
    confidence : float
        Probability strictly between 0 and 1.
    two_sided : bool, default True
        Whether the band bounds both sides.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If *confidence* is not strictly between 0 and 1, or *two_sided* is not a bool.

    Examples
    --------
    >>> [round(normal_quantile(c), 2) for c in (0.95, 0.99, 0.999, 0.9999)]
    [1.96, 2.58, 3.29, 3.89]
    >>> round(normal_quantile(0.95, two_sided=False), 3)
    1.645
    """
    confidence = _confidence(confidence)
    two_sided = arguments.choice("two_sided", two_sided, (True, False))
    tail = (1 - confidence) / 2 if two_sided else 1 - confidence
    return float(-special.ndtri(tail))


def quantile_ci(samples, q: float, confidence: float = 0.99) -> Interval:
    """Return a distribution-free confidence interval for the *q*-quantile of *samples*.

    The true quantile ``t_q`` has, by definition, a fraction *q* of the distribution below
    it, so the number of the *n* independent samples below it is Binomial(n, q), whatever
    the distribution. Sorting the samples, the interval runs from the ``l``-th to the
    ``u``-th smallest, with ranks chosen from that binomial so that each end misses
    ``t_q`` with probability at most ``(1 - confidence) / 2``. Ranks are whole numbers, so
    the coverage is at least *confidence* (a little more on small samples).

    Parameters
    ----------
    samples : array_like
        Independent observations. Consecutive waits in a queue are not independent: use
        one value per seeded run, or batch means of an indicator, for those.
    q : float
        The quantile, strictly between 0 and 1 (0.99 for the p99).
    confidence : float, default 0.99
        Coverage probability, strictly between 0 and 1.

    Returns
    -------
    Interval
        ``estimate`` is the sample quantile (as in :func:`percentiles`); ``low`` and
        ``high`` are two of the samples.

    Raises
    ------
    ValueError
        If *samples* are not finite, *q* or *confidence* is not strictly between 0 and 1,
        or there are too few samples for an interval with both ends: a 99% interval on a
        p99 needs at least 528 samples, since all of fewer could lie below it.

    Examples
    --------
    >>> import reactive_lab as rl
    >>> draws = rl.core.Exponential(1.0).sample(rl.core.rng(3), 10_000)
    >>> ci = quantile_ci(draws, 0.99, confidence=0.99)
    >>> ci.contains(rl.core.Exponential(1.0).ppf(0.99)), round(ci.low, 2), round(ci.high, 2)
    (True, 4.26, 4.8)
    """
    values = np.sort(_as_samples(samples, 1))
    q = arguments.real("q", q, low=0, high=1, low_open=True, high_open=True)
    confidence = _confidence(confidence)
    n, miss = values.size, (1 - confidence) / 2
    # Samples below t_q ~ Binomial(n, q). The l-th smallest exceeds t_q only if at most
    # l - 1 samples are below it; the u-th smallest is at most t_q only if u or more are.
    low_rank = int(stats.binom.ppf(miss, n, q))  # P(count <= low_rank - 1) < miss
    high_rank = int(stats.binom.ppf(1 - miss, n, q)) + 1  # P(count >= high_rank) <= miss
    if low_rank < 1 or high_rank > n:
        needed = math.floor(math.log(miss) / math.log(max(q, 1 - q))) + 1
        raise ValueError(
            f"samples must hold at least {needed:,} values for a {confidence:g} interval "
            f"on the {q:g} quantile (got {n:,})"
        )
    return Interval(float(np.quantile(values, q)), float(values[low_rank - 1]),
                    float(values[high_rank - 1]))


def wilson_ci(successes: int, trials: int, confidence: float = 0.99) -> Interval:
    """Return the Wilson score interval for a proportion: *successes* out of *trials*.

    The interval holds every *p* for which the observed share ``p_hat`` lies within
    ``± z * sqrt(p (1 - p) / trials)`` of *p* (``z = normal_quantile(confidence)``). So
    ``wilson_ci(k, n).contains(p)`` is exactly the test "is ``k/n`` within the binomial
    band around the theory's *p*?". Unlike ``p_hat ± z * sqrt(p_hat (1 - p_hat) / n)``,
    it stays inside [0, 1] and keeps its coverage when ``p_hat`` is 0 or 1.

    Parameters
    ----------
    successes : int
        Count observed, from 0 to *trials*.
    trials : int
        Number of independent trials, at least 1.
    confidence : float, default 0.99
        Coverage probability, strictly between 0 and 1.

    Returns
    -------
    Interval
        ``estimate`` is ``successes / trials``.

    Raises
    ------
    ValueError
        If a count is not an int in range or *confidence* is not in (0, 1).

    Examples
    --------
    >>> ci = wilson_ci(90, 100, confidence=0.95)
    >>> ci.estimate, round(ci.low, 4), round(ci.high, 4)
    (0.9, 0.8256, 0.9448)
    >>> round(wilson_ci(0, 50).high, 4)   # no misses seen is not "never misses"
    0.1172
    """
    trials = arguments.integer("trials", trials, low=1)
    successes = arguments.integer("successes", successes, low=0, high=trials)
    z = normal_quantile(confidence)
    share, spread = successes / trials, z * z / trials
    centre = (share + spread / 2) / (1 + spread)
    half_width = z / (1 + spread) * math.sqrt(share * (1 - share) / trials + spread / trials / 4)
    return Interval(share, max(0.0, centre - half_width), min(1.0, centre + half_width))
