"""Arrival-rate schedules for open-loop load: a rate that changes over time.

Real traffic is not a constant Poisson stream: a push notification brings a spike of
phones online, a launch ramps up over an hour. A :class:`RateSchedule` is a
piecewise-constant rate; :func:`spike` and :func:`ramp` build the two common shapes.
Arrivals follow it as a non-homogeneous Poisson process: within each step they are
Poisson at that step's rate.

>>> s = spike(base=10, peak=50, start=5, end=8)
>>> s.rate_at(4), s.rate_at(6), s.rate_at(9)
(10.0, 50.0, 10.0)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from reactive_lab.core import arguments

__all__ = ["RateSchedule", "ramp", "spike"]


@dataclass(frozen=True)
class RateSchedule:
    """A piecewise-constant arrival rate: ``steps[i] = (from_time, rate)``, times rising.

    The first step starts at time 0; each rate holds until the next step's time. Arrivals
    are Poisson at the rate in force (a non-homogeneous Poisson process).

    >>> RateSchedule(((0.0, 1.0), (10.0, 5.0))).rate_at(12.0)
    5.0
    """

    steps: tuple

    def __post_init__(self):
        steps = tuple((arguments.real("step time", t, low=0),
                       arguments.real("step rate", r, low=0)) for t, r in self.steps)
        if not steps or steps[0][0] != 0 or any(a[0] >= b[0] for a, b in zip(steps, steps[1:])):
            raise ValueError(f"steps must start at time 0 with strictly rising times "
                             f"(got {self.steps!r})")
        if not any(rate > 0 for _, rate in steps):
            raise ValueError(f"steps must have some rate above 0 (got {self.steps!r})")
        object.__setattr__(self, "steps", steps)

    def rate_at(self, time: float) -> float:
        """Return the arrival rate in force at *time*."""
        rate = self.steps[0][1]
        for start, value in self.steps:
            if start > time:
                break
            rate = value
        return rate

    def next_arrival(self, time: float, work: float) -> float:
        """Return the time at which *work* units of rate x time have passed after *time*.

        With *work* a unit exponential draw, this is the next Poisson arrival (inf if the
        schedule's last rate is 0 and the work is never done).
        """
        for i, (start, rate) in enumerate(self.steps):
            end = self.steps[i + 1][0] if i + 1 < len(self.steps) else math.inf
            if end <= time:
                continue
            begin = max(start, time)
            if rate > 0 and work <= rate * (end - begin):
                return begin + work / rate
            work -= rate * (end - begin)
        return math.inf


def spike(base: float, peak: float, start: float, end: float) -> RateSchedule:
    """Return a rate of *base*, jumping to *peak* from *start* to *end*.

    >>> spike(10, 50, start=5, end=8).rate_at(6)
    50.0
    """
    start = arguments.real("start", start, low=0, low_open=True)
    end = arguments.real("end", end, low=start, low_open=True)
    return RateSchedule(((0.0, base), (start, peak), (end, base)))


def ramp(low: float, high: float, start: float, end: float, steps: int = 20) -> RateSchedule:
    """Return a rate that climbs from *low* to *high* between *start* and *end*, in *steps*.

    >>> r = ramp(0, 100, start=0, end=10, steps=10)
    >>> r.rate_at(0.5), r.rate_at(9.5), r.rate_at(20)
    (5.0, 95.0, 100.0)
    """
    start = arguments.real("start", start, low=0)
    end = arguments.real("end", end, low=start, low_open=True)
    steps = arguments.integer("steps", steps, low=1, high=10_000)
    width = (end - start) / steps
    climb = [(start + i * width, low + (high - low) * (i + 0.5) / steps) for i in range(steps)]
    head = [(0.0, low)] if start > 0 else []
    return RateSchedule((*head, *climb, (end, high)))
