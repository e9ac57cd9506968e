"""The same station written the idiomatic simpy way: a process per customer, a Resource.

This is the model most people would write first, and the one the course shows when it
introduces discrete-event simulation: a *source* process creates a *customer* process at
each arrival; the customer requests one of the ``simpy.Resource`` servers, holds it for its
service time and releases it. It is easy to read and easy to extend (priorities, reneging,
breakdowns), but every customer costs several scheduled events.

:func:`reactive_lab.core.simulate_station` computes the same sample path with a direct
recursion. Both draw their random numbers through the same helper, so for the same seed
they must agree customer by customer; the tests hold them to that, and
``benchmarks/core_bench.py`` times one against the other.
"""

# Taught in chapters/00-queues/; keep names in sync.

from __future__ import annotations

import simpy

from reactive_lab.core.station import StationRun, check_station, draw_times

__all__ = ["simulate_station_simpy"]


def simulate_station_simpy(
    arrival,
    service,
    servers: int = 1,
    customers: int = 10_000,
    seed=None,
    warmup: int = 0,
) -> StationRun:
    """Return the sample path of a FIFO *servers*-server station, simulated with simpy.

    Same parameters, same random numbers and same result as
    :func:`reactive_lab.core.simulate_station`, only slower: use it as a readable reference
    and as the benchmark baseline.

    Parameters
    ----------
    arrival, service : Distribution
        Interarrival-time and service-time distributions.
    servers : int, default 1
        Capacity of the ``simpy.Resource``.
    customers : int, default 10_000
        Number of customers to simulate.
    seed : int, numpy.random.Generator or None
        Seed; the same seed gives the same numbers as :func:`simulate_station`.
    warmup : int, default 0
        Number of initial customers to drop.

    Returns
    -------
    StationRun

    Raises
    ------
    ValueError
        For the same bad arguments as :func:`simulate_station`.

    Examples
    --------
    >>> from reactive_lab.core import Exponential, simulate_station
    >>> args = (Exponential(0.9), Exponential(1.0))
    >>> a = simulate_station_simpy(*args, customers=200, seed=5)
    >>> b = simulate_station(*args, customers=200, seed=5)
    >>> bool((a.finish_times == b.finish_times).all())
    True
    """
    servers, customers, warmup = check_station(arrival, service, servers, customers, warmup)
    gaps, services = draw_times(arrival, service, customers, seed)

    env = simpy.Environment()
    counter = simpy.Resource(env, capacity=servers)
    arrived, started, finished = [0.0] * customers, [0.0] * customers, [0.0] * customers

    def customer(n: int, work: float):
        arrived[n] = env.now
        with counter.request() as request:
            yield request
            started[n] = env.now
            yield env.timeout(work)
            finished[n] = env.now

    def source():
        for n, (gap, work) in enumerate(zip(gaps.tolist(), services.tolist())):
            yield env.timeout(gap)
            env.process(customer(n, work))

    env.process(source())
    env.run()
    return StationRun.from_times(arrived, started, finished, servers, warmup)
