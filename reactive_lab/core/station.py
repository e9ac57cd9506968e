"""The queueing station: *c* identical servers sharing one first-come, first-served queue.

Picture a checkout line with *c* tills. Customers arrive (interarrival times drawn from one
distribution), wait in a single line, and take the first till that frees up (service times
drawn from another). This is the G/G/c queue behind every capacity question in the course:
a thread pool, a pool of OTP workers, a rack of web servers.

    >>> import reactive_lab as rl
    >>> run = rl.core.simulate_mmc(arrival_rate=0.8, service_rate=1.0, customers=2_000, seed=1)
    >>> round(run.utilisation, 1)
    0.8

Why it is fast: in a FIFO multi-server queue customer *n* starts at
``max(arrival_n, earliest time a server is free)`` and finishes ``service_n`` later, so the
whole run is one pass over pre-drawn arrays, with a heap of server-free times (Kiefer and
Wolfowitz). For one server this is Lindley's recursion. There are no events, processes or
callbacks, which makes it much faster than the equivalent simpy model in
:mod:`reactive_lab.core.baseline`, and the tests check both produce identical times.
"""

# Taught in chapters/00-queues/; keep names in sync.

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np

from reactive_lab.core import arguments
from reactive_lab.core.distributions import Exponential
from reactive_lab.core.random import rng

__all__ = [
    "MAX_CUSTOMERS",
    "MAX_SERVERS",
    "StationRun",
    "check_station",
    "draw_times",
    "fifo_start_times",
    "simulate_mmc",
    "simulate_station",
    "time_average_in_system",
]

MAX_CUSTOMERS = 5_000_000
MAX_SERVERS = 10_000


@dataclass(frozen=True, eq=False)
class StationRun:
    """The sample path of one station run: per-customer arrival, start and finish times.

    Customers dropped as warm-up are not included. The observation window runs from the
    first kept arrival to the last kept departure, so every kept customer's whole stay lies
    inside it.
    """

    arrival_times: np.ndarray
    """When each customer arrived, in arrival order."""
    start_times: np.ndarray
    """When each customer's service began."""
    finish_times: np.ndarray
    """When each customer left."""
    servers: int
    """Number of servers at the station."""

    @property
    def customers(self) -> int:
        """Number of customers observed."""
        return len(self.arrival_times)

    @property
    def span(self) -> float:
        """Length of the observation window (first arrival to last departure)."""
        return float(self.finish_times.max() - self.arrival_times[0])

    @property
    def waits(self) -> np.ndarray:
        """Time each customer spent queueing before service (start - arrival)."""
        return self.start_times - self.arrival_times

    @property
    def response_times(self) -> np.ndarray:
        """Time each customer spent in the station (finish - arrival)."""
        return self.finish_times - self.arrival_times

    @property
    def throughput(self) -> float:
        """Customers served per unit time over the observation window."""
        return self.customers / self.span

    @property
    def utilisation(self) -> float:
        """Fraction of server capacity busy: total service time / (servers * span)."""
        busy = float(np.sum(self.finish_times - self.start_times))
        return busy / (self.servers * self.span)

    def mean_in_system(self) -> float:
        """Return the time-average number of customers in the station over the window.

        See :func:`time_average_in_system`. Little's law says this equals
        ``throughput * mean(response_times)``; the tests check it.
        """
        return time_average_in_system(self.arrival_times, self.finish_times)

    def percentile(self, q: float) -> float:
        """Return the *q*-th percentile of response time, *q* in [0, 100]."""
        q = arguments.real("q", q, low=0, high=100)
        return float(np.percentile(self.response_times, q))

    @classmethod
    def from_times(cls, arrivals, starts, finishes, servers: int, warmup: int = 0):
        """Return the read-only run of the customers after the first *warmup*.

        Both station models build their result here, so they drop the warm-up alike.

        Examples
        --------
        >>> run = StationRun.from_times([1, 2, 3], [1, 3, 5], [3, 5, 7], servers=1, warmup=1)
        >>> run.waits.tolist(), run.arrival_times.flags.writeable
        ([1.0, 2.0], False)
        """
        arrays = [np.asarray(times, dtype=float)[warmup:] for times in (arrivals, starts, finishes)]
        for array in arrays:
            array.setflags(write=False)
        return cls(*arrays, servers=servers)


def time_average_in_system(arrival_times, finish_times) -> float:
    """Return the time-average number of customers present, from their arrivals and exits.

    Sort all arrivals (+1) and departures (-1), keep a running count N(t), and integrate
    it over the window from the first arrival to the last departure; divide by the
    window's length. This is L in Little's law ``L = lambda W``, measured from a log.

    Parameters
    ----------
    arrival_times, finish_times : array_like
        When each customer arrived and left, one entry per customer.

    Returns
    -------
    float

    Examples
    --------
    >>> time_average_in_system([0.0, 1.0], [2.0, 4.0])  # N = 1, 2, 1 over 1, 1, 2 s
    1.25
    """
    arrivals = np.asarray(arrival_times, dtype=float)
    finishes = np.asarray(finish_times, dtype=float)
    times = np.concatenate([arrivals, finishes])
    steps = np.concatenate([np.ones(arrivals.size), -np.ones(finishes.size)])
    order = np.argsort(times, kind="stable")
    counts = np.cumsum(steps[order])
    area = float(np.sum(counts[:-1] * np.diff(times[order])))
    return area / float(finishes.max() - arrivals.min())


def check_station(arrival, service, servers, customers, warmup) -> tuple[int, int, int]:
    """Check a station's arguments before any work; return ``(servers, customers, warmup)``.

    Shared by :func:`simulate_station` and the simpy baseline, so both refuse the same
    things with the same messages.

    Examples
    --------
    >>> check_station(Exponential(0.5), Exponential(1.0), 1, 100, 10)
    (1, 100, 10)
    >>> check_station(Exponential(0.5), Exponential(1.0), 0, 100, 10)
    Traceback (most recent call last):
    ...
    ValueError: servers must be an int from 1 to 10,000 (got 0)
    """
    arguments.sampler("arrival", arrival)
    arguments.sampler("service", service)
    servers = arguments.integer("servers", servers, low=1, high=MAX_SERVERS)
    customers = arguments.integer("customers", customers, low=1, high=MAX_CUSTOMERS)
    # at least one customer must remain after the warm-up, to be observed
    warmup = arguments.integer("warmup", warmup, low=0, high=customers - 1)
    arguments.stable(service.mean / (arrival.mean * servers))
    return servers, customers, warmup


def draw_times(arrival, service, customers: int, seed=None) -> tuple[np.ndarray, np.ndarray]:
    """Draw *customers* interarrival gaps, then as many service times, from one stream.

    Both station models draw through here, so for the same seed they see the same numbers.

    Examples
    --------
    >>> gaps, services = draw_times(Exponential(1.0), Exponential(2.0), 3, seed=1)
    >>> gaps.shape, services.shape
    ((3,), (3,))
    """
    generator = rng(seed)
    gaps = np.asarray(arrival.sample(generator, customers), dtype=float)
    services = np.asarray(service.sample(generator, customers), dtype=float)
    return gaps, services


def fifo_start_times(arrival_times, service_times, servers: int = 1) -> np.ndarray:
    """Return when each customer starts service in a FIFO queue with *servers* servers.

    Customer *n* starts at ``max(arrival_n, earliest time a server is free)`` and holds
    that server for ``service_n``. With one server this is Lindley's recursion; with
    several, a heap of server-free times (Kiefer and Wolfowitz).

    Parameters
    ----------
    arrival_times : array_like
        Arrival times in non-decreasing order.
    service_times : array_like
        Each customer's service time, same length.
    servers : int, default 1
        Number of identical servers, 1 to 10,000.

    Returns
    -------
    numpy.ndarray
        Start times; add *service_times* for the finish times.

    Examples
    --------
    >>> fifo_start_times([0.0, 1.0, 1.5], [2.0, 2.0, 0.5]).tolist()
    [0.0, 2.0, 4.0]
    >>> fifo_start_times([0.0, 1.0, 1.5], [2.0, 2.0, 0.5], servers=2).tolist()
    [0.0, 1.0, 2.0]
    """
    servers = arguments.integer("servers", servers, low=1, high=MAX_SERVERS)
    arrivals = np.asarray(arrival_times, dtype=float).tolist()
    services = np.asarray(service_times, dtype=float).tolist()
    if len(services) != len(arrivals):
        raise ValueError(
            f"service_times must hold one entry per arrival (got {len(services)} for "
            f"{len(arrivals)} arrivals)"
        )
    starts = [0.0] * len(arrivals)
    if servers == 1:
        # Lindley: start when you arrive or when the previous customer leaves.
        # (conditionals, not max(): about 4x cheaper per call in this hot loop)
        free_at = 0.0
        for n, (arrived, work) in enumerate(zip(arrivals, services)):
            start = arrived if arrived > free_at else free_at  # noqa: FURB136
            free_at = start + work
            starts[n] = start
    else:
        # Kiefer-Wolfowitz: take the server that frees first; FIFO keeps starts in order.
        free_at = [0.0] * servers
        replace = heapq.heapreplace
        for n, (arrived, work) in enumerate(zip(arrivals, services)):
            earliest = free_at[0]
            start = arrived if arrived > earliest else earliest  # noqa: FURB136
            replace(free_at, start + work)
            starts[n] = start
    return np.array(starts)


def simulate_station(
    arrival,
    service,
    servers: int = 1,
    customers: int = 10_000,
    seed=None,
    warmup: int = 0,
) -> StationRun:
    """Return the sample path of a FIFO station with *servers* servers (a G/G/c queue).

    Parameters
    ----------
    arrival : Distribution
        Distribution of the time between consecutive arrivals.
    service : Distribution
        Distribution of each customer's service time.
    servers : int, default 1
        Number of identical servers, 1 to 10,000.
    customers : int, default 10_000
        Number of customers to simulate, 1 to 5,000,000.
    seed : int, numpy.random.Generator or None
        Seed for :func:`reactive_lab.core.rng`; the same seed gives the same run.
    warmup : int, default 0
        Number of initial customers to drop, so the empty start does not bias the
        statistics; must be below *customers*.

    Returns
    -------
    StationRun

    Raises
    ------
    ValueError
        If a distribution is missing, a count is out of range, or the utilisation
        ``service.mean / (arrival.mean * servers)`` is 1 or more.

    Examples
    --------
    >>> from reactive_lab.core import Deterministic, Exponential
    >>> run = simulate_station(Deterministic(1.0), Deterministic(0.5), customers=3)
    >>> run.waits.tolist(), run.response_times.tolist()
    ([0.0, 0.0, 0.0], [0.5, 0.5, 0.5])
    >>> busy = simulate_station(Exponential(3.6), Exponential(1.0), servers=4,
    ...                         customers=20_000, seed=2, warmup=2_000)
    >>> round(busy.utilisation, 1)
    0.9
    """
    servers, customers, warmup = check_station(arrival, service, servers, customers, warmup)
    gaps, services = draw_times(arrival, service, customers, seed)
    # cumsum adds left to right, exactly as an event clock advances, so times match simpy's.
    arrivals = np.cumsum(gaps)
    starts = fifo_start_times(arrivals, services, servers)
    finishes = starts + services  # the same additions as in the loop, done in bulk
    return StationRun.from_times(arrivals, starts, finishes, servers, warmup)


def simulate_mmc(
    arrival_rate: float,
    service_rate: float,
    servers: int = 1,
    customers: int = 10_000,
    seed=None,
    warmup: int = 0,
) -> StationRun:
    """Return the sample path of an M/M/c station: Poisson arrivals, exponential service.

    A shortcut for ``simulate_station(Exponential(arrival_rate), Exponential(service_rate),
    ...)``; compare it with :func:`reactive_lab.theory.mmc`.

    Parameters
    ----------
    arrival_rate : float
        Mean arrivals per unit time (lambda), positive.
    service_rate : float
        Mean services per unit time per server (mu), positive.
    servers, customers, seed, warmup
        As in :func:`simulate_station`.

    Returns
    -------
    StationRun

    Raises
    ------
    ValueError
        As in :func:`simulate_station`, or if a rate is not a positive number.

    Examples
    --------
    >>> run = simulate_mmc(1.0, 2.0, customers=5, seed=3)
    >>> run.customers, bool((run.finish_times >= run.start_times).all())
    (5, True)
    """
    return simulate_station(
        Exponential(rate=arguments.positive("arrival_rate", arrival_rate)),
        Exponential(rate=arguments.positive("service_rate", service_rate)),
        servers=servers,
        customers=customers,
        seed=seed,
        warmup=warmup,
    )
