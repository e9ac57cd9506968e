"""M/M/1 and M/M/c queues: waits, response times and their percentiles, and staffing.

Poisson arrivals at *arrival_rate*, exponential service at *service_rate* per server,
*servers* servers sharing one first-come, first-served queue: a pool of workers behind one
mailbox. Everything follows from Erlang C, the probability that an arrival waits.

    >>> import reactive_lab as rl
    >>> m = rl.theory.mmc(arrival_rate=3.6, service_rate=1.0, servers=4)
    >>> round(m.utilisation, 2), round(m.wait_probability, 3), round(m.mean_wait, 3)
    (0.9, 0.788, 1.969)
"""

# Taught in chapters/00-queues/; keep names in sync.

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy.optimize import brentq

from reactive_lab.core import arguments
from reactive_lab.theory.queueing import MAX_SERVERS, erlang_c

__all__ = ["MAX_SERVERS_SEARCHED", "QueueMetrics", "mm1", "mmc", "servers_for_response_target"]

MAX_SERVERS_SEARCHED = 1_000_000


@dataclass(frozen=True)
class QueueMetrics:
    """Steady-state metrics of an M/M/c queue (times in the rates' time unit)."""

    utilisation: float
    """Fraction of server capacity in use, ``arrival_rate / (servers * service_rate)``."""
    wait_probability: float
    """Probability an arrival waits at all (Erlang C)."""
    mean_wait: float
    """Mean time in the queue before service, Wq."""
    mean_response: float
    """Mean time in the system, W = Wq + 1 / service_rate."""
    mean_in_queue: float
    """Mean number waiting, Lq = arrival_rate * Wq."""
    mean_in_system: float
    """Mean number in the system, L = arrival_rate * W."""
    arrival_rate: float
    service_rate: float
    servers: int

    @property
    def _drain_rate(self) -> float:
        """Rate theta = c mu - lambda at which a waiting customer's wait runs out."""
        return self.servers * self.service_rate - self.arrival_rate

    def wait_percentile(self, q: float) -> float:
        """Return the *q*-th percentile of the waiting time, *q* in (0, 100).

        The wait is 0 with probability ``1 - C`` and otherwise exponential with rate
        ``c mu - lambda``, so ``P(Wq > t) = C exp(-(c mu - lambda) t)``.

        Examples
        --------
        >>> round(mm1(0.5, 1.0).wait_percentile(90), 4)
        3.2189
        """
        tail = 1 - arguments.percentile("q", q) / 100
        if tail >= self.wait_probability:
            return 0.0
        return math.log(self.wait_probability / tail) / self._drain_rate

    def response_tail(self, t: float) -> float:
        """Return ``P(T > t)`` for the response time T = Wq + S.

        ``(1 - C) e^{-mu t} + C P(X + S > t)`` with X ~ Exp(theta), S ~ Exp(mu); the
        hypoexponential tail is written in a form that stays accurate when theta is close
        to mu (where it tends to ``(1 + mu t) e^{-mu t}``).

        Examples
        --------
        >>> round(mm1(0.5, 1.0).response_tail(0.0), 6)
        1.0
        """
        mu, theta, c = self.service_rate, self._drain_rate, self.wait_probability
        slow, fast = min(mu, theta), max(mu, theta)
        gap = (fast - slow) * t
        ratio = 1.0 if gap == 0 else -math.expm1(-gap) / gap
        both = math.exp(-slow * t) * (1 + slow * t * ratio)
        return (1 - c) * math.exp(-mu * t) + c * both

    def response_percentile(self, q: float) -> float:
        """Return the *q*-th percentile of the response time, *q* in (0, 100).

        Solves ``P(T > t) = 1 - q/100`` numerically (Brent's method).

        Examples
        --------
        >>> m = mm1(0.5, 1.0)  # M/M/1 response time is Exp(mu - lambda) = Exp(0.5)
        >>> round(m.response_percentile(99), 4), round(2 * math.log(100), 4)
        (9.2103, 9.2103)
        """
        tail = 1 - arguments.percentile("q", q) / 100
        high = 1.0 / min(self.service_rate, self._drain_rate)
        while self.response_tail(high) > tail:
            high *= 2
        return brentq(lambda t: self.response_tail(t) - tail, 0.0, high, xtol=1e-14, rtol=1e-12)


def mmc(arrival_rate: float, service_rate: float, servers: int) -> QueueMetrics:
    """Return the steady-state metrics of an M/M/c queue.

    Poisson arrivals at *arrival_rate*, exponential service at *service_rate* per server,
    *servers* servers sharing one FIFO queue.

    Parameters
    ----------
    arrival_rate : float
        lambda, positive.
    service_rate : float
        mu, positive.
    servers : int
        c, from 1 to 10,000,000; ``arrival_rate < servers * service_rate`` is required.

    Returns
    -------
    QueueMetrics

    Raises
    ------
    ValueError
        If a rate is not positive, *servers* is not an int in range, or the utilisation
        ``arrival_rate / (servers * service_rate)`` is 1 or more.

    Examples
    --------
    >>> m = mmc(arrival_rate=1.0, service_rate=1.0, servers=2)
    >>> round(m.wait_probability, 4), round(m.mean_wait, 4), round(m.mean_in_system, 4)
    (0.3333, 0.3333, 1.3333)
    """
    arrival_rate = arguments.positive("arrival_rate", arrival_rate)
    service_rate = arguments.positive("service_rate", service_rate)
    servers = arguments.integer("servers", servers, low=1, high=MAX_SERVERS)
    arguments.stable(arrival_rate / (servers * service_rate))
    load = arrival_rate / service_rate
    wait_probability = erlang_c(servers, load)
    mean_wait = wait_probability / (servers * service_rate - arrival_rate)
    mean_response = mean_wait + 1 / service_rate
    return QueueMetrics(
        utilisation=load / servers,
        wait_probability=wait_probability,
        mean_wait=mean_wait,
        mean_response=mean_response,
        mean_in_queue=arrival_rate * mean_wait,
        mean_in_system=arrival_rate * mean_response,
        arrival_rate=arrival_rate,
        service_rate=service_rate,
        servers=servers,
    )


def mm1(arrival_rate: float, service_rate: float) -> QueueMetrics:
    """Return the steady-state metrics of an M/M/1 queue (:func:`mmc` with one server).

    With ``rho = lambda / mu``: ``Wq = rho / (mu - lambda)``, ``W = 1 / (mu - lambda)``,
    ``L = rho / (1 - rho)``.

    Examples
    --------
    >>> m = mm1(arrival_rate=0.8, service_rate=1.0)
    >>> round(m.mean_response, 6), round(m.mean_in_system, 6)
    (5.0, 4.0)
    """
    return mmc(arrival_rate, service_rate, 1)


def servers_for_response_target(
    arrival_rate: float, service_rate: float, target: float, q: float = 99
) -> int:
    """Return the fewest servers whose *q*-th response-time percentile is at most *target*.

    The capacity-planning question: "how many workers keep p99 latency under 2 s?". Adding
    servers shrinks the wait but never the service time itself, so a target at or below the
    service time's own *q*-th percentile ``-ln(1 - q/100) / mu`` is unreachable.

    Parameters
    ----------
    arrival_rate, service_rate : float
        lambda and mu, positive.
    target : float
        Response-time bound, positive, in the rates' time unit.
    q : float, default 99
        Percentile, strictly between 0 and 100.

    Returns
    -------
    int

    Raises
    ------
    ValueError
        If an argument is out of range, the target is unreachable at any number of
        servers, or more than 1,000,000 servers would be needed.

    Examples
    --------
    >>> servers_for_response_target(arrival_rate=3.6, service_rate=1.0, target=6.0)
    5
    """
    arrival_rate = arguments.positive("arrival_rate", arrival_rate)
    service_rate = arguments.positive("service_rate", service_rate)
    target = arguments.positive("target", target)
    level = arguments.percentile("q", q)
    floor = -math.log1p(-level / 100) / service_rate
    if target <= floor:
        raise ValueError(
            f"target must exceed the service time's own {level:g}th percentile "
            f"{floor:.4g} (got {target!r}): no number of servers can beat the service time"
        )

    def meets(servers: int) -> bool:
        return mmc(arrival_rate, service_rate, servers).response_percentile(level) <= target

    # The percentile falls as servers are added: gallop up from the fewest stable servers,
    # then bisect.
    low = math.floor(arrival_rate / service_rate) + 1
    if meets(low):
        return low
    step = 1
    while not meets(low + step):
        low += step
        step *= 2
        if low > MAX_SERVERS_SEARCHED:
            raise ValueError(
                f"target must be reachable with at most {MAX_SERVERS_SEARCHED:,} servers "
                f"(got {target!r}): relax the target or the percentile"
            )
    high = low + step
    while high - low > 1:
        middle = (low + high) // 2
        if meets(middle):
            high = middle
        else:
            low = middle
    return high
