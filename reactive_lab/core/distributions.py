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

Parameters are checked when the object is built, so a bad distribution fails at once with a
``ValueError`` rather than deep inside a simulation.
"""

# Taught in chapters/00-queues/ and chapters/01-distribution/request-paths.md;
# keep names in sync.

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import partial

import numpy as np
from scipy import special

from reactive_lab.core import arguments

__all__ = [
    "Deterministic",
    "Distribution",
    "Erlang",
    "Exponential",
    "Hyperexponential",
    "LogNormal",
    "Uniform",
]


def _checked(check, name: str, values):
    """Apply the scalar *check* to a number, or to an array through its extremes.

    Returns ``(array, was_scalar)``. The checks here are intervals, so an array passes if
    its entries are finite and its smallest and largest entries pass; a failing entry is
    handed to *check* on its own, so the message is the common one and names it.
    """
    if np.ndim(values) == 0:
        value = values.item() if isinstance(values, np.ndarray) else values
        return np.asarray(check(name, value)), True
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        check(name, values)  # a sequence of non-numbers is not a number: this raises
        raise
    finite = np.isfinite(array)
    extremes = (array.min(), array.max()) if array.size else ()
    for value in array[~finite][:1] if not finite.all() else extremes:
        check(name, float(value))
    return array, False


_x_values = partial(_checked, arguments.real, "x")
_q_values = partial(_checked, arguments.probability, "q")


def _result(values: np.ndarray, was_scalar: bool):
    return float(values) if was_scalar else values


class Distribution:
    """Base class: a non-negative random time with ``mean``, ``scv``, ``sample`` and tails.

    Subclass it as a frozen dataclass to plug a new distribution into the station: give it
    a ``mean`` and an ``scv`` (property or field) and a vectorised
    ``sample(rng, size) -> numpy.ndarray``. Give it ``cdf`` and ``ppf`` as well when they
    have a closed form; ``median`` then comes for free.
    """

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:  # pragma: no cover
        """Return *size* independent draws as a float array."""
        raise NotImplementedError

    def cdf(self, x):  # pragma: no cover
        """Return ``P(time <= x)``, the fraction of times at most *x*.

        Parameters
        ----------
        x : float or array_like
            Finite times; negative ones are allowed (their probability is 0).

        Returns
        -------
        float or numpy.ndarray
            A float for a number, an array of the same shape for an array.

        Raises
        ------
        ValueError
            If an entry of *x* is not a finite number.
        """
        raise NotImplementedError

    def ppf(self, q):  # pragma: no cover
        """Return the *q*-quantile, the time a fraction *q* of draws stays at or below.

        The inverse of :meth:`cdf` ("percent point function", scipy's name):
        ``ppf(0.99)`` is the p99. ``ppf(0)`` is the bottom of the support and ``ppf(1)``
        its top, ``inf`` for an unbounded tail.

        Parameters
        ----------
        q : float or array_like
            Probabilities in [0, 1].

        Returns
        -------
        float or numpy.ndarray
            A float for a number, an array of the same shape for an array.

        Raises
        ------
        ValueError
            If an entry of *q* is not a number from 0 to 1.
        """
        raise NotImplementedError

    @property
    def median(self) -> float:
        """The time half of all draws stay below: ``ppf(0.5)``."""
        return self.ppf(0.5)


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
        x, scalar = _x_values(x)
        return _result(-np.expm1(-self.rate * np.maximum(x, 0.0)), scalar)

    def ppf(self, q):
        q, scalar = _q_values(q)
        with np.errstate(divide="ignore"):  # q = 1 is the infinite top of the support
            return _result(-np.log1p(-q) / self.rate, scalar)


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
        x, scalar = _x_values(x)
        return _result(np.where(x >= self.value, 1.0, 0.0), scalar)

    def ppf(self, q):
        q, scalar = _q_values(q)
        return _result(np.full(q.shape, self.value), scalar)


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
        x, scalar = _x_values(x)
        return _result(special.gammainc(self.k, self.rate * np.maximum(x, 0.0)), scalar)

    def ppf(self, q):
        q, scalar = _q_values(q)
        return _result(special.gammaincinv(self.k, q) / self.rate, scalar)


@dataclass(frozen=True)
class LogNormal(Distribution):
    """Log-normal times given by their *mean* and coefficient of variation *cv*.

    Long right tail, a common fit for measured request latencies; ``scv`` = ``cv**2``.
    ``log(time)`` is normal with mean :attr:`mu` and standard deviation :attr:`sigma`,
    computed from *mean* and *cv* in one place and used by ``sample``, ``cdf`` and ``ppf``.

    Examples
    --------
    >>> d = LogNormal(mean=2.0, cv=0.5)
    >>> d.mean, d.scv
    (2.0, 0.25)
    >>> round(d.sigma, 4), round(d.median, 4)   # the median exp(mu) sits below the mean
    (0.4724, 1.7889)
    """

    mean: float
    cv: float

    def __post_init__(self):
        object.__setattr__(self, "mean", arguments.positive("mean", self.mean))
        try:
            cv = arguments.positive("cv", self.cv)
        except ValueError as error:
            if self.cv == 0:
                raise ValueError(f"{error}: use Deterministic for constant times") from None
            raise
        object.__setattr__(self, "cv", cv)

    @property
    def scv(self) -> float:
        return self.cv**2

    @property
    def sigma(self) -> float:
        """Standard deviation of ``log(time)``: ``sqrt(ln(1 + cv²))``.

        >>> round(LogNormal(mean=1.0, cv=1.0).sigma, 4)
        0.8326
        """
        return math.sqrt(math.log1p(self.cv**2))

    @property
    def mu(self) -> float:
        """Mean of ``log(time)``: ``ln(mean) - sigma² / 2``, so that ``E[time]`` is *mean*.

        >>> round(LogNormal(mean=1.0, cv=1.0).mu, 4)
        -0.3466
        """
        return math.log(self.mean) - self.sigma**2 / 2

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return rng.lognormal(self.mu, self.sigma, size)

    def cdf(self, x):
        x, scalar = _x_values(x)
        with np.errstate(divide="ignore"):  # log(0) = -inf maps to probability 0
            z = (np.log(np.maximum(x, 0.0)) - self.mu) / self.sigma
        return _result(special.ndtr(z), scalar)

    def ppf(self, q):
        q, scalar = _q_values(q)
        return _result(np.exp(self.mu + self.sigma * special.ndtri(q)), scalar)


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
        x, scalar = _x_values(x)
        return _result(np.clip((x - self.low) / (self.high - self.low), 0.0, 1.0), scalar)

    def ppf(self, q):
        q, scalar = _q_values(q)
        return _result(self.low + q * (self.high - self.low), scalar)


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
        x, scalar = _x_values(x)
        x = np.maximum(x, 0.0)
        probs = np.asarray(self.probs) / sum(self.probs)
        below = (probs * -np.expm1(-np.multiply.outer(x, np.asarray(self.rates)))).sum(axis=-1)
        return _result(below, scalar)

    def ppf(self, q):
        """Solve ``cdf(x) = q`` by Newton's method inside a bracket.

        The mixture's quantile lies between the branches' own quantiles
        ``-ln(1 - q) / rate``: at the smallest of them no branch has reached *q* yet, at the
        largest every branch has. Newton steps converge fast on the smooth cdf; a step that
        leaves the bracket is replaced by bisection, which makes the search safe for any
        rates. Below the median the search matches ``cdf(x)`` to *q*, above it
        ``log(1 - cdf(x))`` to ``log(1 - q)``, so both tails keep their relative accuracy.
        """
        q, scalar = _q_values(q)
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
        return _result(x.reshape(shape), scalar)
