"""Alarms on a metric: a threshold to raise, a lower one to clear (hysteresis).

Picture a thermostat. If it switched the heating on below 20 °C and off above 20 °C, it
would click on and off all day as the temperature wobbles around 20. A real one switches
on below 19.5 and off above 20.5: the gap between the two is **hysteresis**. An alarm on
a node's memory or a mailbox's length is the same: raised when the metric crosses
*raise_at*, cleared only when it falls back below *clear_at*, so a noisy metric near the
line raises one alarm instead of a storm. OTP's ``os_mon`` does this for memory with
``memsup`` and the ``alarm_handler`` (``set_alarm`` / ``clear_alarm``).

>>> alarms([1, 5, 4, 6, 4, 6, 1], raise_at=5, clear_at=5)
[(1, 2), (3, 4), (5, 6)]
>>> alarms([1, 5, 4, 6, 4, 6, 1], raise_at=5, clear_at=2)
[(1, 6)]
"""

# Taught in chapters/03-availability/monitoring.md; keep names in sync.

from __future__ import annotations

import numpy as np

from reactive_lab.core import arguments

__all__ = ["alarms", "noisy_trend", "time_to_threshold"]


def alarms(values, raise_at: float, clear_at: float) -> list[tuple[int, int]]:
    """Return ``(raised, cleared)`` sample indices of each alarm over *values*.

    Raised at the first sample at or above *raise_at*; cleared at the first later sample
    below *clear_at* (which must not be above *raise_at*). An alarm still up at the end
    is cleared at ``len(values)``.

    Raises
    ------
    ValueError
        If *clear_at* is above *raise_at*.
    """
    raise_at = arguments.real("raise_at", raise_at)
    clear_at = arguments.real("clear_at", clear_at, high=raise_at)
    spans, raised = [], None
    for i, value in enumerate(np.asarray(values, dtype=float)):
        if raised is None and value >= raise_at:
            raised = i
        elif raised is not None and value < clear_at:
            spans.append((raised, i))
            raised = None
    if raised is not None:
        spans.append((raised, len(values)))
    return spans


def noisy_trend(samples: int, start: float, slope: float, noise: float, seed=None):
    """Return a metric that drifts by *slope* per sample with normal noise (a slow leak).

    >>> noisy_trend(3, start=50.0, slope=1.0, noise=0.0)
    array([50., 51., 52.])
    """
    samples = arguments.integer("samples", samples, low=1, high=1_000_000)
    noise = arguments.real("noise", noise, low=0)
    rng = np.random.default_rng(seed)
    return start + slope * np.arange(samples) + rng.normal(0.0, noise, samples) * (noise > 0)


def time_to_threshold(values, threshold: float, step: float = 1.0) -> float:
    """Return how long until a least-squares line through *values* reaches *threshold*.

    The simplest preemptive alarm: fit the recent trend (one sample per *step* seconds)
    and page when the projected time to trouble is shorter than the time to fix it.
    Returns 0 if the fit is already past the threshold, and infinity if it does not rise.

    Raises
    ------
    ValueError
        If there are fewer than two values or *step* is not positive.

    Examples
    --------
    >>> round(time_to_threshold([50, 51, 52, 53], threshold=60, step=60.0))  # 7 min
    420
    """
    values = np.asarray(values, dtype=float)
    if values.size < 2:
        raise ValueError(f"values must hold at least 2 samples (got {values.size})")
    step = arguments.positive("step", step)
    slope, intercept = np.polyfit(np.arange(values.size), values, 1)
    now = intercept + slope * (values.size - 1)
    if now >= threshold:
        return 0.0
    if slope <= 0:
        return float("inf")
    return float((threshold - now) / slope * step)
