# Taught in chapters/01-distribution/connectivity.md; keep names in sync.
"""False suspicion: when a node that is only stalled gets declared down.

A host stall (CPU steal on a busy hypervisor, swapping, a live VM migration, a cgroup
throttling the VM, a saturated link) silences a healthy Erlang node for a while. If the
silence outlasts the tick detector, its peers see ``nodedown``, fail its work over, and
then watch it come back: a *false* nodedown. Shortening ``net_ticktime`` catches real
failures sooner and forgives shorter stalls only.

>>> import reactive_lab as rl
>>> rl.distribution.false_nodedown_probability(60.0)   # a 60 s stall, default settings
0.5

The model: a stall of *d* seconds costs a nodedown when *d* exceeds the detection time,
which lies between ``T - T/I`` and ``T + T/I`` depending on where in the tick cycle the
stall began (:func:`~reactive_lab.distribution.failure_detection_window_s`). We take the
detection time as uniform over that window: the documented bounds are exact, the uniform
spread between them is the modelling assumption. The BEAM tests check the bounds on real
nodes (a frozen node is declared down inside the window; a short stall is forgiven).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from reactive_lab.core import arguments
from reactive_lab.distribution.measures import (
    NET_TICKTIME_S,
    TICKS_PER_TICKTIME,
    failure_detection_window_s,
)

__all__ = [
    "STALLS_S",
    "Suspicion",
    "false_nodedown_probability",
    "false_nodedown_probability_exponential",
    "suspicion_report",
]

STALLS_S = (5.0, 20.0, 45.0, 60.0)
"""Stall lengths the page and the explorable quote: short hiccup to a VM migration gone bad."""


def false_nodedown_probability(stall_s, net_ticktime_s=NET_TICKTIME_S,
                               tick_intensity=TICKS_PER_TICKTIME):
    """Return the probability that a stall of *stall_s* seconds gets a live node declared down.

    Zero for stalls shorter than ``T - T/I``, one for stalls longer than ``T + T/I``, and a
    straight line in between (detection time uniform over the window). Vectorised over
    *stall_s*.

    Parameters
    ----------
    stall_s : float or array of float
        Length of the silence, seconds, at least 0.
    net_ticktime_s : float, default 60.0
    tick_intensity : int, default 4

    Returns
    -------
    float or numpy.ndarray

    Raises
    ------
    ValueError
        If *stall_s* is negative or not finite, or a setting is out of range.

    Examples
    --------
    >>> import reactive_lab as rl
    >>> [float(p) for p in rl.distribution.false_nodedown_probability([30, 50, 80])]
    [0.0, 0.16666666666666666, 1.0]
    """
    earliest, latest = failure_detection_window_s(net_ticktime_s, tick_intensity)
    stall = np.asarray(stall_s, dtype=float)
    if not np.all(np.isfinite(stall)) or np.any(stall < 0):
        raise ValueError(f"stall_s must be finite and at least 0 (got {stall_s!r})")
    p = np.clip((stall - earliest) / (latest - earliest), 0.0, 1.0)
    return float(p) if p.ndim == 0 else p


def false_nodedown_probability_exponential(mean_stall_s, net_ticktime_s=NET_TICKTIME_S,
                                           tick_intensity=TICKS_PER_TICKTIME):
    """Return the chance that one stall, exponential with mean *mean_stall_s*, costs a nodedown.

    Averaging :func:`false_nodedown_probability` over an exponential stall length with mean
    *m*, window start *a* and width *w* gives ``(m / w) (exp(-a/m) - exp(-(a + w)/m))``.
    Multiply by the stalls per node per day for false nodedowns per node per day.

    Parameters
    ----------
    mean_stall_s : float
        Mean stall length in seconds, positive.
    net_ticktime_s : float, default 60.0
    tick_intensity : int, default 4

    Returns
    -------
    float

    Examples
    --------
    >>> import reactive_lab as rl
    >>> round(rl.distribution.false_nodedown_probability_exponential(10.0), 5)
    0.00352
    """
    mean = arguments.positive("mean_stall_s", mean_stall_s)
    earliest, latest = failure_detection_window_s(net_ticktime_s, tick_intensity)
    width = latest - earliest
    return float(mean / width * (np.exp(-earliest / mean) - np.exp(-latest / mean)))


@dataclass(frozen=True)
class Suspicion:
    """One tick setting: how fast it catches a silent node, and which stalls it forgives."""

    net_ticktime_s: float
    tick_intensity: int
    window_s: tuple
    """``(earliest, latest)`` seconds of silence before ``nodedown``."""
    tick_interval_s: float
    stall_probabilities: dict
    """Probability of a false nodedown for each stall length in :data:`STALLS_S`."""


def suspicion_report(net_ticktime_s=NET_TICKTIME_S, tick_intensity=TICKS_PER_TICKTIME):
    """Return the :class:`Suspicion` of one (``net_ticktime``, ``net_tickintensity``) setting.

    Examples
    --------
    >>> import reactive_lab as rl
    >>> r = rl.distribution.suspicion_report(20, 4)
    >>> r.window_s, r.stall_probabilities[20.0]
    ((15.0, 25.0), 0.5)
    """
    window = failure_detection_window_s(net_ticktime_s, tick_intensity)
    return Suspicion(
        net_ticktime_s=float(net_ticktime_s),
        tick_intensity=int(tick_intensity),
        window_s=window,
        tick_interval_s=float(net_ticktime_s) / int(tick_intensity),
        stall_probabilities={s: float(false_nodedown_probability(s, net_ticktime_s,
                                                                 tick_intensity))
                             for s in STALLS_S},
    )
