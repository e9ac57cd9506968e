"""Capacity: bounded queues (M/M/c/K), the service level P(wait <= t), and N+k sizing.

A *bounded* queue is a waiting room with *capacity* places in all, servers included: a
request that arrives to find it full is turned away at once. That turns unbounded waits
into a blocking probability, the price of a bound. With no waiting room at all
(``capacity == servers``), it is Erlang's loss system and the blocking is Erlang B: a pure
concurrency limit.

>>> import reactive_lab as rl
>>> m = rl.theory.mmck(arrival_rate=90.0, service_rate=100.0, servers=1, capacity=10)
>>> round(m.blocking, 4), round(m.mean_response * 1000, 1)
(0.0508, 46.5)

The *service level* is the share of requests that wait at most *t*, ``P(Wq <= t)``: a
call centre's "80% answered within 20 s", a service's "99% start within 50 ms". It is the
quantity a latency objective speaks about, so sizing starts from it.
"""

# Taught in chapters/04-scalability/capacity.md and regulation.md; keep names in sync.

from __future__ import annotations

import math
from dataclasses import dataclass

from reactive_lab.core import arguments
from reactive_lab.theory.mmc import MAX_SERVERS_SEARCHED, mmc

__all__ = [
    "BoundedQueueMetrics",
    "mmck",
    "servers_for_service_level",
    "service_level",
    "survivor_utilisation",
]

MAX_CAPACITY = 1_000_000
"""Largest waiting room :func:`mmck` accepts (it sums one term per place)."""


@dataclass(frozen=True)
class BoundedQueueMetrics:
    """Steady-state metrics of an M/M/c/K queue (times in the rates' time unit)."""

    blocking: float
    """Probability an arrival finds all *capacity* places taken and is turned away."""
    throughput: float
    """Admitted (and served) requests per unit time, ``arrival_rate (1 - blocking)``."""
    utilisation: float
    """Busy share of each server, ``throughput / (servers service_rate)``."""
    mean_in_system: float
    mean_response: float
    """Mean time in the system of an admitted request (Little: L / throughput)."""
    mean_wait: float
    servers: int
    capacity: int


def mmck(arrival_rate: float, service_rate: float, servers: int,
         capacity: int) -> BoundedQueueMetrics:
    """Return the metrics of an M/M/c/K queue: *servers* servers, *capacity* places in all.

    Stable at any load, since arrivals beyond the bound are refused. The state
    probabilities follow from the birth-death balance ``p_n = p_{n-1} a / min(n, c)``
    with ``a = arrival_rate / service_rate``; the blocking probability is ``p_K``
    (PASTA: Poisson arrivals see the time average).

    Parameters
    ----------
    arrival_rate, service_rate : float
        lambda and mu, positive.
    servers : int
        c, from 1 to 100,000.
    capacity : int
        K, from *servers* to 1,000,000: requests in service plus waiting.

    Returns
    -------
    BoundedQueueMetrics

    Raises
    ------
    ValueError
        If a rate is not positive or a count is out of range.

    Examples
    --------
    >>> import reactive_lab as rl
    >>> m = mmck(arrival_rate=5.0, service_rate=1.0, servers=10, capacity=10)
    >>> round(m.blocking, 12) == round(rl.theory.erlang_b(10, 5.0), 12)
    True
    >>> round(mmck(2.0, 1.0, 1, 3).blocking, 4)   # overloaded, yet bounded
    0.5333
    """
    arrival_rate = arguments.positive("arrival_rate", arrival_rate)
    service_rate = arguments.positive("service_rate", service_rate)
    servers = arguments.integer("servers", servers, low=1, high=100_000)
    capacity = arguments.integer("capacity", capacity, low=servers, high=MAX_CAPACITY)
    load = arrival_rate / service_rate
    # Relative probabilities, rescaled as they grow so that nothing overflows.
    weights, term = [1.0], 1.0
    for n in range(1, capacity + 1):
        term *= load / min(n, servers)
        weights.append(term)
        if term > 1e250:
            weights = [w / term for w in weights]
            term = 1.0
    total = math.fsum(weights)
    blocking = weights[-1] / total
    in_system = math.fsum(n * w for n, w in enumerate(weights)) / total
    throughput = arrival_rate * (1 - blocking)
    response = in_system / throughput
    return BoundedQueueMetrics(
        blocking=blocking,
        throughput=throughput,
        utilisation=throughput / (servers * service_rate),
        mean_in_system=in_system,
        mean_response=response,
        mean_wait=max(response - 1 / service_rate, 0.0),
        servers=servers,
        capacity=capacity,
    )


def service_level(arrival_rate: float, service_rate: float, servers: int, wait: float) -> float:
    """Return the share of requests that wait at most *wait*: ``1 - C exp(-(c mu - lambda) t)``.

    In an M/M/c queue an arrival waits with probability C (Erlang C), and a waiting one
    waits an exponential time with rate ``c mu - lambda`` (the rate at which the queue
    ahead of it drains).

    Raises
    ------
    ValueError
        If an argument is out of range or the queue is unstable.

    Examples
    --------
    >>> round(service_level(3.6, 1.0, servers=4, wait=0.0), 3)   # 1 - Erlang C
    0.212
    >>> round(service_level(3.6, 1.0, servers=4, wait=2.0), 3)
    0.646
    """
    metrics = mmc(arrival_rate, service_rate, servers)
    wait = arguments.real("wait", wait, low=0)
    drain = metrics.servers * metrics.service_rate - metrics.arrival_rate
    return 1.0 - metrics.wait_probability * math.exp(-drain * wait)


def servers_for_service_level(arrival_rate: float, service_rate: float, wait: float,
                              level: float, *, max_utilisation: float = 1.0,
                              failures: int = 0) -> int:
    """Return the fewest servers such that a share *level* of requests waits at most *wait*.

    Sizing for a latency objective, with two margins a real plan adds:

    - *max_utilisation* (headroom): no server may be busier than this, so a traffic
      surge or a slow release does not start from the edge of the hockey stick;
    - *failures* (N+k): the objective must still hold with *failures* servers down,
      when each survivor carries ``u N / (N - k)``.

    Parameters
    ----------
    arrival_rate, service_rate : float
        lambda and mu, positive.
    wait : float
        The waiting-time bound t, at least 0.
    level : float
        Required ``P(Wq <= t)``, strictly between 0 and 1.
    max_utilisation : float, default 1
        Utilisation cap, above 0 and at most 1.
    failures : int, default 0
        Servers that may be down at once, 0 to 1,000.

    Returns
    -------
    int

    Raises
    ------
    ValueError
        If an argument is out of range, or more than 1,000,000 servers would be needed.

    Examples
    --------
    >>> servers_for_service_level(80.0, 10.0, wait=0.05, level=0.95)
    12
    >>> servers_for_service_level(80.0, 10.0, wait=0.05, level=0.95, failures=1)
    13
    >>> servers_for_service_level(80.0, 10.0, wait=0.05, level=0.95, max_utilisation=0.6)
    14
    """
    arrival_rate = arguments.positive("arrival_rate", arrival_rate)
    service_rate = arguments.positive("service_rate", service_rate)
    wait = arguments.real("wait", wait, low=0)
    level = arguments.real("level", level, low=0, high=1, low_open=True, high_open=True)
    cap = arguments.real("max_utilisation", max_utilisation, low=0, high=1, low_open=True)
    failures = arguments.integer("failures", failures, low=0, high=1_000)
    load = arrival_rate / service_rate
    servers = max(math.floor(load) + 1, math.ceil(load / cap - 1e-12))
    while service_level(arrival_rate, service_rate, servers, wait) < level:
        servers += 1
        if servers > MAX_SERVERS_SEARCHED:
            raise ValueError(f"level must be reachable with at most {MAX_SERVERS_SEARCHED:,} "
                             f"servers (got {level!r}): relax the objective")
    return servers + failures


def survivor_utilisation(utilisation: float, nodes: int, failed: int = 1) -> float:
    """Return the utilisation of each survivor when *failed* of *nodes* nodes are down.

    The same work on fewer nodes: ``u N / (N - k)``. Above 1 the survivors are overloaded
    and their queues grow without bound.

    Raises
    ------
    ValueError
        If *utilisation* is negative, *nodes* below 2, or *failed* not from 1 to nodes - 1.

    Examples
    --------
    >>> round(survivor_utilisation(0.6, nodes=3, failed=1), 3)
    0.9
    >>> round(survivor_utilisation(0.8, nodes=4), 3)
    1.067
    """
    utilisation = arguments.real("utilisation", utilisation, low=0)
    nodes = arguments.integer("nodes", nodes, low=2, high=1_000_000)
    failed = arguments.integer("failed", failed, low=1, high=nodes - 1)
    return utilisation * nodes / (nodes - failed)
