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

# Taught in chapters/04-scalability/; keep names in sync.

from __future__ import annotations

import heapq
import numbers
from dataclasses import dataclass

import numpy as np

from reactive_lab.core.distributions import Exponential, _real
from reactive_lab.core.random import rng

__all__ = ["StationRun", "simulate_mmc", "simulate_station"]

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

        Computed from the sample path: sort all arrivals (+1) and departures (-1), keep a
        running count N(t), and integrate it over time. Little's law says this equals
        ``throughput * mean(response_times)``; the tests check it.
        """
        times = np.concatenate([self.arrival_times, self.finish_times])
        steps = np.concatenate([np.ones(self.customers), -np.ones(self.customers)])
        order = np.argsort(times, kind="stable")
        counts = np.cumsum(steps[order])
        area = float(np.sum(counts[:-1] * np.diff(times[order])))
        return area / self.span

    def percentile(self, q: float) -> float:
        """Return the *q*-th percentile of response time, *q* in [0, 100]."""
        if isinstance(q, bool) or not isinstance(q, numbers.Real) or not 0 <= q <= 100:
            raise ValueError(f"q must be a percentile between 0 and 100 (got {q!r})")
        return float(np.percentile(self.response_times, q))


def _check_int(name: str, value, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an int (got {value!r})")  # noqa: TRY004 (bad arguments raise ValueError)
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low} and {high} (got {value!r})")
    return int(value)


def _validate_station(arrival, service, servers, customers, warmup) -> tuple[int, int, int]:
    """Check station arguments before any work; shared with the simpy baseline."""
    for name, dist in (("arrival", arrival), ("service", service)):
        if not (hasattr(dist, "sample") and hasattr(dist, "mean")):
            raise ValueError(
                f"{name} must be a distribution with .mean and .sample(rng, size), "
                f"such as Exponential(rate=1.0) (got {dist!r})"
            )
    servers = _check_int("servers", servers, 1, MAX_SERVERS)
    customers = _check_int("customers", customers, 1, MAX_CUSTOMERS)
    if isinstance(warmup, bool) or not isinstance(warmup, numbers.Integral):
        raise ValueError(f"warmup must be an int (got {warmup!r})")  # noqa: TRY004
    if not 0 <= warmup < customers:
        raise ValueError(
            f"warmup must be at least 0 and below customers={customers} (got {warmup!r}): "
            "at least one customer must remain to observe"
        )
    utilisation = service.mean / (arrival.mean * servers)
    if utilisation >= 1:
        raise ValueError(
            f"utilisation must be below 1 (got {utilisation:.3g}): arrivals outpace the "
            "servers and the queue grows without bound"
        )
    return servers, customers, int(warmup)


def _draw_times(arrival, service, customers: int, seed) -> tuple[np.ndarray, np.ndarray]:
    """Draw interarrival gaps, then service times; both models use this to see equal numbers."""
    generator = rng(seed)
    gaps = np.asarray(arrival.sample(generator, customers), dtype=float)
    services = np.asarray(service.sample(generator, customers), dtype=float)
    return gaps, services


def _run(arrivals, starts, finishes, servers, warmup) -> StationRun:
    arrays = [np.asarray(times, dtype=float)[warmup:] for times in (arrivals, starts, finishes)]
    for array in arrays:
        array.setflags(write=False)
    return StationRun(*arrays, servers=servers)


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
    servers, customers, warmup = _validate_station(arrival, service, servers, customers, warmup)
    gaps, services = _draw_times(arrival, service, customers, seed)
    # cumsum adds left to right, exactly as an event clock advances, so times match simpy's.
    arrivals = np.cumsum(gaps)
    starts = [0.0] * customers
    if servers == 1:
        # Lindley: start when you arrive or when the previous customer leaves.
        # (conditionals, not max(): about 4x cheaper per call in this hot loop)
        free_at = 0.0
        for n, (arrived, work) in enumerate(zip(arrivals.tolist(), services.tolist())):
            start = arrived if arrived > free_at else free_at  # noqa: FURB136
            free_at = start + work
            starts[n] = start
    else:
        # Kiefer-Wolfowitz: take the server that frees first; FIFO keeps starts in order.
        free_at = [0.0] * servers
        replace = heapq.heapreplace
        for n, (arrived, work) in enumerate(zip(arrivals.tolist(), services.tolist())):
            earliest = free_at[0]
            start = arrived if arrived > earliest else earliest  # noqa: FURB136
            replace(free_at, start + work)
            starts[n] = start
    starts = np.array(starts)
    finishes = starts + services  # the same additions as in the loop, done in bulk
    return _run(arrivals, starts, finishes, servers, warmup)


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
        Exponential(rate=_real("arrival_rate", arrival_rate)),
        Exponential(rate=_real("service_rate", service_rate)),
        servers=servers,
        customers=customers,
        seed=seed,
        warmup=warmup,
    )
