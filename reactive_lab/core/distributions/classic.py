"""The queueing textbook's distributions: exponential, deterministic, Erlang, uniform and
hyperexponential, each with a closed-form ``cdf`` (and ``ppf``, by a root find for the
hyperexponential mixture).

>>> Erlang(k=2, rate=4.0).median < Erlang(k=2, rate=4.0).mean
True
"""

# Taught in chapters/00-queues/ and chapters/01-distribution/request-paths.md;
# keep names in sync.

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import special

from reactive_lab.core import arguments
from reactive_lab.core.distributions.base import Distribution, as_result, q_values, x_values

__all__ = ["Deterministic", "Erlang", "Exponential", "Hyperexponential", "Uniform"]


@dataclass(frozen=True)
class Exponential(Distribution):
    """Exponential times with *rate* events per unit time: memoryless, ``scv`` = 1.

    ``cdf(x) = 1 - exp(-rate x)`` and ``ppf(q) = -ln(1 - q) / rate``.

    Examples
    --------
    >>> d = Exponential(rate=2.0)
    >>> d.mean, d.scv
    (0.5, 1.0)
    >>> round(d.median, 4), round(d.ppf(0.99), 4), round(d.cdf(0.5), 4)
    (0.3466, 2.3026, 0.6321)
    """

    rate: float

    def __post_init__(self):
        object.__setattr__(self, "rate", arguments.positive("rate", self.rate))

    @property
    def mean(self) -> float:
        return 1.0 / self.rate

    @property
    def scv(self) -> float:
        return 1.0

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return rng.exponential(1.0 / self.rate, size)

    def cdf(self, x):
        x, scalar = x_values(x)
        return as_result(-np.expm1(-self.rate * np.maximum(x, 0.0)), scalar)

    def ppf(self, q):
        q, scalar = q_values(q)
        with np.errstate(divide="ignore"):  # q = 1 is the infinite top of the support
            return as_result(-np.log1p(-q) / self.rate, scalar)


@dataclass(frozen=True)
class Deterministic(Distribution):
    """Always exactly *value*: a metronome, ``scv`` = 0.

    Its cdf steps from 0 to 1 at *value*, and every quantile is *value*.

    Examples
    --------
    >>> d = Deterministic(1.5)
    >>> d.sample(None, 3)
    array([1.5, 1.5, 1.5])
    >>> d.cdf([1.0, 1.5]).tolist(), d.ppf(0.99), d.median
    ([0.0, 1.0], 1.5, 1.5)
    """

    value: float

    def __post_init__(self):
        object.__setattr__(self, "value", arguments.positive("value", self.value))

    @property
    def mean(self) -> float:
        return self.value

    @property
    def scv(self) -> float:
        return 0.0

    def sample(self, rng: np.random.Generator | None, size: int) -> np.ndarray:
        return np.full(size, self.value)

    def cdf(self, x):
        x, scalar = x_values(x)
        return as_result(np.where(x >= self.value, 1.0, 0.0), scalar)

    def ppf(self, q):
        q, scalar = q_values(q)
        return as_result(np.full(q.shape, self.value), scalar)


@dataclass(frozen=True)
class Erlang(Distribution):
    """Sum of *k* exponential phases, each with *rate*: mean ``k/rate``, ``scv`` = ``1/k``.

    It is the gamma distribution with integer shape *k* and scale ``1/rate``; cdf and ppf
    are scipy's regularised incomplete gamma function and its inverse.

    Examples
    --------
    >>> d = Erlang(k=2, rate=4.0)
    >>> d.mean, d.scv
    (0.5, 0.5)
    >>> round(d.median, 4), round(d.cdf(d.ppf(0.9)), 12)
    (0.4196, 0.9)
    """

    k: int
    rate: float

    def __post_init__(self):
        object.__setattr__(self, "k", arguments.integer("k", self.k, low=1))
        object.__setattr__(self, "rate", arguments.positive("rate", self.rate))

    @property
    def mean(self) -> float:
        return self.k / self.rate

    @property
    def scv(self) -> float:
        return 1.0 / self.k

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return rng.gamma(self.k, 1.0 / self.rate, size)

    def cdf(self, x):
        x, scalar = x_values(x)
        return as_result(special.gammainc(self.k, self.rate * np.maximum(x, 0.0)), scalar)

    def ppf(self, q):
        q, scalar = q_values(q)
        return as_result(special.gammaincinv(self.k, q) / self.rate, scalar)


@dataclass(frozen=True)
class Uniform(Distribution):
    """Times spread evenly over ``[low, high)``, with ``0 <= low < high``.

    Examples
    --------
    >>> d = Uniform(0.0, 2.0)
    >>> d.mean, round(d.scv, 4)
    (1.0, 0.3333)
    >>> d.cdf(0.5), d.ppf(0.99), d.median
    (0.25, 1.98, 1.0)
    """

    low: float
    high: float

    def __post_init__(self):
        low = arguments.real("low", self.low, low=0)
        high = arguments.real("high", self.high, low=low, low_open=True)
        object.__setattr__(self, "low", low)
        object.__setattr__(self, "high", high)

    @property
    def mean(self) -> float:
        return (self.low + self.high) / 2

    @property
    def scv(self) -> float:
        return (self.high - self.low) ** 2 / 12 / self.mean**2

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return rng.uniform(self.low, self.high, size)

    def cdf(self, x):
        x, scalar = x_values(x)
        return as_result(np.clip((x - self.low) / (self.high - self.low), 0.0, 1.0), scalar)

    def ppf(self, q):
        q, scalar = q_values(q)
        return as_result(self.low + q * (self.high - self.low), scalar)


@dataclass(frozen=True)
class Hyperexponential(Distribution):
    """A mixture of exponentials: with probability ``probs[i]`` the time is Exp(``rates[i]``).

    Models a mix of cheap and expensive requests (cache hits and misses); ``scv`` >= 1.
    The tail is the mixture of the branches' tails, ``1 - cdf(x) = sum p_i exp(-r_i x)``;
    the quantile has no closed form, so :meth:`ppf` solves ``cdf(x) = q`` numerically.

    Examples
    --------
    >>> d = Hyperexponential(probs=(0.9, 0.1), rates=(10.0, 0.5))
    >>> round(d.mean, 3), round(d.scv, 2)
    (0.29, 8.73)
    >>> round(d.median, 4), round(d.ppf(0.99), 3)   # the rare slow branch owns the p99
    (0.0801, 4.605)
    """

    probs: tuple[float, ...]
    rates: tuple[float, ...]

    def __post_init__(self):
        probs = tuple(arguments.probability("probs entries", p) for p in self.probs)
        rates = tuple(arguments.positive("rates entries", r) for r in self.rates)
        if not probs or len(probs) != len(rates):
            raise ValueError(
                "probs and rates must be non-empty and of equal length "
                f"(got {len(probs)} probs and {len(rates)} rates)"
            )
        if not math.isclose(sum(probs), 1.0, rel_tol=0, abs_tol=1e-9):
            raise ValueError(f"probs must sum to 1 (got sum {sum(probs)!r})")
        object.__setattr__(self, "probs", probs)
        object.__setattr__(self, "rates", rates)

    @property
    def mean(self) -> float:
        return sum(p / r for p, r in zip(self.probs, self.rates))

    @property
    def scv(self) -> float:
        second_moment = sum(2 * p / r**2 for p, r in zip(self.probs, self.rates))
        return second_moment / self.mean**2 - 1

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        probs = np.asarray(self.probs) / sum(self.probs)
        branch = rng.choice(len(probs), size=size, p=probs)
        return rng.exponential(1.0, size) / np.asarray(self.rates)[branch]

    def _distance(self, x: np.ndarray, lower: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return how far *x* is from the quantile, in the scale that is accurate there.

        For the lower half (``lower`` True) that is ``cdf(x)`` itself, summed from
        ``expm1`` so that tiny probabilities keep their digits; for the upper half it is
        ``log P(time > x)``, summed with ``logsumexp`` so that far tails do not underflow.
        Both come with their derivative in *x*.
        """
        probs = np.asarray(self.probs) / sum(self.probs)
        rates = np.asarray(self.rates)
        exponents = -np.multiply.outer(x, rates)
        density = (probs * rates * np.exp(exponents)).sum(axis=-1)
        below = (probs * -np.expm1(exponents)).sum(axis=-1)
        log_tail = special.logsumexp(exponents, b=probs, axis=-1)
        hazard = density / np.exp(log_tail)
        return np.where(lower, below, log_tail), np.where(lower, density, -hazard)

    def cdf(self, x):
        x, scalar = x_values(x)
        x = np.maximum(x, 0.0)
        probs = np.asarray(self.probs) / sum(self.probs)
        below = (probs * -np.expm1(-np.multiply.outer(x, np.asarray(self.rates)))).sum(axis=-1)
        return as_result(below, scalar)

    def ppf(self, q):
        """Solve ``cdf(x) = q`` by Newton's method inside a bracket.

        The mixture's quantile lies between the branches' own quantiles
        ``-ln(1 - q) / rate``: at the smallest of them no branch has reached *q* yet, at the
        largest every branch has. Newton steps converge fast on the smooth cdf; a step that
        leaves the bracket is replaced by bisection, which makes the search safe for any
        rates. Below the median the search matches ``cdf(x)`` to *q*, above it
        ``log(1 - cdf(x))`` to ``log(1 - q)``, so both tails keep their relative accuracy.
        """
        q, scalar = q_values(q)
        shape, q = q.shape, q.ravel()
        with np.errstate(divide="ignore"):  # q = 1: log(0) = -inf, the quantile is inf
            log_tail = np.log1p(-q)
        lower = q <= 0.5
        target = np.where(lower, q, log_tail)
        sign = np.where(lower, -1.0, 1.0)  # so that sign * (value - target) > 0 below it
        branch_quantiles = -np.multiply.outer(log_tail, 1.0 / np.asarray(self.rates))
        low, high = branch_quantiles.min(axis=-1), branch_quantiles.max(axis=-1)
        x = (low + high) / 2
        solve = np.isfinite(high) & (high > low)
        for _ in range(200):
            if not solve.any():
                break
            at = np.flatnonzero(solve)
            value, slope = self._distance(x[at], lower[at])
            gap = value - target[at]
            short = sign[at] * gap > 0  # x is still below the quantile
            low[at] = np.where(short, x[at], low[at])
            high[at] = np.where(short, high[at], x[at])
            step = x[at] - gap / slope
            inside = (step >= low[at]) & (step <= high[at])
            x[at] = np.where(inside, step, (low[at] + high[at]) / 2)
            converged = (high[at] - low[at] <= 4 * np.spacing(high[at])) | (
                np.abs(gap) <= 4 * np.spacing(np.abs(target[at]))
            )
            solve[at[converged]] = False
        x = np.where(np.isfinite(high) & (high > low), x, high)
        return as_result(x.reshape(shape), scalar)
