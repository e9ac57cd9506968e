"""The base class every distribution shares, and the checks of its ``cdf``/``ppf`` inputs.

>>> x, scalar = x_values([0.5, 2.0])
>>> x.tolist(), scalar
([0.5, 2.0], False)
"""

# Taught in chapters/00-queues/ and chapters/01-distribution/request-paths.md;
# keep names in sync.

from __future__ import annotations

from functools import partial

import numpy as np

from reactive_lab.core import arguments

__all__ = ["Distribution", "as_result", "checked_values", "q_values", "x_values"]


def checked_values(check, name: str, values):
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


x_values = partial(checked_values, arguments.real, "x")
"""Check the *x* of a cdf: finite numbers; returns ``(array, was_scalar)``."""
q_values = partial(checked_values, arguments.probability, "q")
"""Check the *q* of a ppf: probabilities; returns ``(array, was_scalar)``."""


def as_result(values: np.ndarray, was_scalar: bool):
    """Return a float for a scalar input, the array otherwise."""
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
