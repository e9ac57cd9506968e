"""Seeded random streams: one independent stream per source of randomness in a run.

A simulation of messages draws many kinds of random numbers: gaps between arrivals, service
times, link latencies, coin flips for loss and duplication. Each source gets its own
stream, split from the run's seed with :class:`numpy.random.SeedSequence`, so turning a
fault on (which draws extra coins) does not shift the arrivals or the service times: two
runs that differ only in their loss probability see the same requests at the same moments
(*common random numbers*), which makes their difference the effect of the loss alone.

>>> from reactive_lab.core import Exponential
>>> seeds = Seeds(7)
>>> draw = seeds.draws(Exponential(rate=2.0))
>>> round(draw(), 4) == round(Seeds(7).draws(Exponential(rate=2.0))(), 4)
True

Draws are taken in blocks (numpy is fast per block, slow per call) and handed out one by
one; a run's numbers depend only on the seed and on the order in which streams are made.
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = ["Seeds"]

BLOCK = 256
"""Draws fetched from numpy at a time: large enough to amortise the call, small enough
that a tiny run does not waste time drawing numbers it never uses."""


class Seeds:
    """Hand out independent, reproducible random streams split from one *seed*.

    Parameters
    ----------
    seed : int or None
        A non-negative int for a reproducible run, or None for fresh entropy.

    Raises
    ------
    ValueError
        If *seed* is not a non-negative int or None.

    Examples
    --------
    >>> coin = Seeds(1).uniforms()
    >>> 0 <= coin() < 1
    True
    """

    def __init__(self, seed=None):
        if seed is not None and (
            isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0
        ):
            raise ValueError(f"seed must be a non-negative int or None (got {seed!r})")
        self._sequence = np.random.SeedSequence(None if seed is None else int(seed))

    def generator(self) -> np.random.Generator:
        """Return a fresh generator, independent of every other one handed out.

        >>> seeds = Seeds(5)
        >>> seeds.generator().random() != seeds.generator().random()
        True
        """
        return np.random.default_rng(self._sequence.spawn(1)[0])

    def draws(self, distribution):
        """Return a function that gives the next draw of *distribution* on each call.

        >>> from reactive_lab.core import Deterministic
        >>> Seeds(0).draws(Deterministic(3.0))()
        3.0
        """
        generator = self.generator()
        buffer: list[float] = []

        def draw() -> float:
            if not buffer:
                buffer.extend(distribution.sample(generator, BLOCK).tolist()[::-1])
            return buffer.pop()

        return draw

    def uniforms(self):
        """Return a function giving the next uniform number in [0, 1) on each call.

        >>> u = Seeds(3).uniforms()
        >>> all(0 <= u() < 1 for _ in range(500))
        True
        """
        generator = self.generator()
        buffer: list[float] = []

        def uniform() -> float:
            if not buffer:
                buffer.extend(generator.random(BLOCK).tolist())
            return buffer.pop()

        return uniform
