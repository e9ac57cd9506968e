"""Summaries of simulation output: percentiles and confidence intervals.

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

# Taught in chapters/04-scalability/; keep names in sync.

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np
from scipy import stats

__all__ = ["ConfidenceInterval", "batch_means_ci", "mean_ci", "percentiles"]


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


def _as_samples(samples, minimum: int) -> np.ndarray:
    values = np.asarray(samples, dtype=float).ravel()
    if values.size < minimum:
        raise ValueError(f"samples must hold at least {minimum} values (got {values.size})")
    if not np.isfinite(values).all():
        raise ValueError("samples must be finite numbers (got NaN or infinity)")
    return values


def _check_confidence(confidence) -> float:
    if (
        isinstance(confidence, bool)
        or not isinstance(confidence, numbers.Real)
        or not (0 < confidence < 1)
    ):
        raise ValueError(f"confidence must be strictly between 0 and 1 (got {confidence!r})")
    return float(confidence)


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
    qs = [float(q) for q in np.atleast_1d(qs)]
    bad = [q for q in qs if not 0 <= q <= 100]
    if bad:
        raise ValueError(f"qs must be percentiles between 0 and 100 (got {bad})")
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
    if isinstance(batches, bool) or not isinstance(batches, numbers.Integral) or batches < 2:
        raise ValueError(f"batches must be an int of at least 2 (got {batches!r})")
    confidence = _check_confidence(confidence)
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
    confidence = _check_confidence(confidence)
    return _t_interval(_as_samples(samples, 2), confidence)
