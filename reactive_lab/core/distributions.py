"""Pluggable distributions for interarrival and service times.

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

Parameters are checked when the object is built, so a bad distribution fails at once with a
``ValueError`` rather than deep inside a simulation.
"""

# Taught in chapters/04-scalability/; keep names in sync.

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np

__all__ = [
    "Deterministic",
    "Distribution",
    "Erlang",
    "Exponential",
    "Hyperexponential",
    "LogNormal",
    "Uniform",
]


def _real(name: str, value, *, positive: bool = True) -> float:
    """Return *value* as a float after checking it is finite and positive (or >= 0)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number (got {value!r})")
    if positive and value <= 0:
        raise ValueError(f"{name} must be positive (got {value!r})")
    if not positive and value < 0:
        raise ValueError(f"{name} must be non-negative (got {value!r})")
    return float(value)


class Distribution:
    """Base class: a non-negative random time with ``mean``, ``scv`` and ``sample``.

    Subclass it as a frozen dataclass to plug a new distribution into the station: give it
    a ``mean`` and an ``scv`` (property or field) and a vectorised
    ``sample(rng, size) -> numpy.ndarray``.
    """

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:  # pragma: no cover
        """Return *size* independent draws as a float array."""
        raise NotImplementedError


@dataclass(frozen=True)
class Exponential(Distribution):
    """Exponential times with *rate* events per unit time: memoryless, ``scv`` = 1.

    Examples
    --------
    >>> d = Exponential(rate=2.0)
    >>> d.mean, d.scv
    (0.5, 1.0)
    """

    rate: float

    def __post_init__(self):
        object.__setattr__(self, "rate", _real("rate", self.rate))

    @property
    def mean(self) -> float:
        return 1.0 / self.rate

    @property
    def scv(self) -> float:
        return 1.0

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return rng.exponential(1.0 / self.rate, size)


@dataclass(frozen=True)
class Deterministic(Distribution):
    """Always exactly *value*: a metronome, ``scv`` = 0.

    Examples
    --------
    >>> Deterministic(1.5).sample(None, 3)
    array([1.5, 1.5, 1.5])
    """

    value: float

    def __post_init__(self):
        object.__setattr__(self, "value", _real("value", self.value))

    @property
    def mean(self) -> float:
        return self.value

    @property
    def scv(self) -> float:
        return 0.0

    def sample(self, rng: np.random.Generator | None, size: int) -> np.ndarray:
        return np.full(size, self.value)


@dataclass(frozen=True)
class Erlang(Distribution):
    """Sum of *k* exponential phases, each with *rate*: mean ``k/rate``, ``scv`` = ``1/k``.

    Examples
    --------
    >>> d = Erlang(k=2, rate=4.0)
    >>> d.mean, d.scv
    (0.5, 0.5)
    """

    k: int
    rate: float

    def __post_init__(self):
        if isinstance(self.k, bool) or not isinstance(self.k, numbers.Integral) or self.k < 1:
            raise ValueError(f"k (number of phases) must be a positive int (got {self.k!r})")
        object.__setattr__(self, "k", int(self.k))
        object.__setattr__(self, "rate", _real("rate", self.rate))

    @property
    def mean(self) -> float:
        return self.k / self.rate

    @property
    def scv(self) -> float:
        return 1.0 / self.k

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return rng.gamma(self.k, 1.0 / self.rate, size)


@dataclass(frozen=True)
class LogNormal(Distribution):
    """Log-normal times given by their *mean* and coefficient of variation *cv*.

    Long right tail, a common fit for measured request latencies; ``scv`` = ``cv**2``.

    Examples
    --------
    >>> d = LogNormal(mean=2.0, cv=0.5)
    >>> d.mean, d.scv
    (2.0, 0.25)
    """

    mean: float
    cv: float

    def __post_init__(self):
        object.__setattr__(self, "mean", _real("mean", self.mean))
        if isinstance(self.cv, numbers.Real) and not isinstance(self.cv, bool) and self.cv == 0:
            raise ValueError("cv must be positive (got 0): use Deterministic for constant times")
        object.__setattr__(self, "cv", _real("cv", self.cv))

    @property
    def scv(self) -> float:
        return self.cv**2

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        sigma2 = math.log1p(self.cv**2)
        mu = math.log(self.mean) - sigma2 / 2
        return rng.lognormal(mu, math.sqrt(sigma2), size)


@dataclass(frozen=True)
class Uniform(Distribution):
    """Times spread evenly over ``[low, high)``, with ``0 <= low < high``.

    Examples
    --------
    >>> d = Uniform(0.0, 2.0)
    >>> d.mean, round(d.scv, 4)
    (1.0, 0.3333)
    """

    low: float
    high: float

    def __post_init__(self):
        low = _real("low", self.low, positive=False)
        high = _real("high", self.high)
        if high <= low:
            raise ValueError(f"high must be greater than low (got low={low!r}, high={high!r})")
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


@dataclass(frozen=True)
class Hyperexponential(Distribution):
    """A mixture of exponentials: with probability ``probs[i]`` the time is Exp(``rates[i]``).

    Models a mix of cheap and expensive requests (cache hits and misses); ``scv`` >= 1.

    Examples
    --------
    >>> d = Hyperexponential(probs=(0.9, 0.1), rates=(10.0, 0.5))
    >>> round(d.mean, 3), round(d.scv, 2)
    (0.29, 8.73)
    """

    probs: tuple[float, ...]
    rates: tuple[float, ...]

    def __post_init__(self):
        probs = tuple(_real("probs entries", p, positive=False) for p in self.probs)
        rates = tuple(_real("rates entries", r) for r in self.rates)
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
