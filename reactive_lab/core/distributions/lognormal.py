"""The log-normal: a long right tail, the usual fit for measured request latencies.

>>> d = LogNormal(mean=5.0, cv=1.0)
>>> round(d.mu, 4), round(d.sigma, 4)
(1.2629, 0.8326)
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

__all__ = ["LogNormal"]


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
        x, scalar = x_values(x)
        with np.errstate(divide="ignore"):  # log(0) = -inf maps to probability 0
            z = (np.log(np.maximum(x, 0.0)) - self.mu) / self.sigma
        return as_result(special.ndtr(z), scalar)

    def ppf(self, q):
        q, scalar = q_values(q)
        return as_result(np.exp(self.mu + self.sigma * special.ndtri(q)), scalar)
