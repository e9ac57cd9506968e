"""Seeded randomness: one generator per simulation, so the same seed gives the same run.

Every stochastic function in ``reactive_lab`` takes ``seed=None`` and turns it into a
:class:`numpy.random.Generator` with :func:`rng`. A chapter sets one ``SEED`` in its setup
cell; passing it everywhere makes every figure reproducible.
"""

# Taught in chapters/ (every chapter's setup cell); keep names in sync.

from __future__ import annotations

import numbers

import numpy as np

__all__ = ["rng"]


def rng(seed: int | np.random.Generator | None = None) -> np.random.Generator:
    """Return a NumPy random generator built from *seed*.

    Think of the seed as the label on a deck of cards: the same label always deals the
    same cards, so a simulation run with ``seed=42`` today repeats exactly tomorrow.

    Parameters
    ----------
    seed : int, numpy.random.Generator or None
        A non-negative int for a reproducible stream, ``None`` for fresh entropy, or an
        existing generator, which is passed through unchanged (so helpers can share one
        stream).

    Returns
    -------
    numpy.random.Generator

    Raises
    ------
    ValueError
        If *seed* is negative, a bool, or not an int, a generator or ``None``.

    Examples
    --------
    >>> a = rng(7).exponential(size=3)
    >>> b = rng(7).exponential(size=3)
    >>> bool((a == b).all())
    True
    >>> g = rng(1)
    >>> rng(g) is g
    True
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None:
        return np.random.default_rng()
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(
            f"seed must be a non-negative int, a numpy Generator or None (got {seed!r})"
        )
    return np.random.default_rng(int(seed))
