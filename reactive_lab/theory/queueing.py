"""Closed forms for queues: Little's law and Erlang's B and C formulas.

These are the formulas a simulation is checked against. The picture is a call centre (where
A. K. Erlang started in 1909): calls arrive at random at *arrival_rate* per unit time, each
takes an exponential time with *service_rate* completions per unit time, and *servers*
agents answer them. The *offered load* ``a = arrival_rate / service_rate`` is how many
agents would be busy on average; with ``servers`` agents the utilisation is
``a / servers``, and it must stay below 1 or the queue grows without bound. The full M/M/c
metrics built on Erlang C are in :mod:`reactive_lab.theory.mmc`.

    >>> import reactive_lab as rl
    >>> round(rl.theory.erlang_c(servers=4, offered_load=3.6), 3)
    0.788
"""

# Taught in chapters/00-queues/; keep names in sync.

from __future__ import annotations

from reactive_lab.core import arguments

__all__ = ["MAX_SERVERS", "erlang_b", "erlang_c", "littles_law"]

MAX_SERVERS = 10_000_000
"""Most servers the formulas accept: Erlang B takes one step per server, so this bounds
the work of a call to a second or two."""


def littles_law(arrival_rate=None, mean_time=None, mean_number=None) -> float:
    """Return the one missing quantity of Little's law ``L = lambda * W``.

    Whatever the arrival pattern, service discipline or number of servers, the average
    number inside a stable system equals the arrival rate times the average time spent
    inside: 2 requests/s that each take 0.5 s means 1 request in flight on average.

    Parameters
    ----------
    arrival_rate : float or None
        Throughput lambda (per unit time).
    mean_time : float or None
        Mean time in the system W.
    mean_number : float or None
        Mean number in the system L.
        Exactly one of the three must be None; that is the one returned.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If not exactly one argument is None, a given value is negative or not finite, or
        the value to divide by is zero.

    Examples
    --------
    >>> littles_law(arrival_rate=2.0, mean_time=0.5)
    1.0
    >>> littles_law(mean_number=10.0, mean_time=0.25)
    40.0
    """
    given = {"arrival_rate": arrival_rate, "mean_time": mean_time, "mean_number": mean_number}
    missing = [name for name, value in given.items() if value is None]
    if len(missing) != 1:
        raise ValueError(
            f"exactly one of arrival_rate, mean_time, mean_number must be None, the quantity "
            f"to solve for (got {len(missing)} None)"
        )
    values = {n: arguments.real(n, v, low=0) for n, v in given.items() if v is not None}
    if missing == ["mean_number"]:
        return values["arrival_rate"] * values["mean_time"]
    divisor = "mean_time" if missing == ["arrival_rate"] else "arrival_rate"
    return values["mean_number"] / arguments.positive(divisor, values[divisor])


def erlang_b(servers: int, offered_load: float) -> float:
    """Return the Erlang B blocking probability: the chance an arrival finds all busy.

    For a loss system with no queue (a call is dropped when all *servers* lines are busy).
    Uses the stable recursion ``B(0) = 1``, ``B(k) = a B(k-1) / (k + a B(k-1))``, which never
    forms the huge factorials of the textbook formula.

    Parameters
    ----------
    servers : int
        Number of servers, 1 to 10,000,000.
    offered_load : float
        ``arrival_rate / service_rate`` in Erlangs, non-negative.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If *servers* is not an int from 1 to 10,000,000 or *offered_load* is negative or
        not finite.

    Examples
    --------
    >>> erlang_b(1, 1.0)
    0.5
    >>> round(erlang_b(10, 5.0), 5)
    0.01838
    """
    servers = arguments.integer("servers", servers, low=1, high=MAX_SERVERS)
    load = arguments.real("offered_load", offered_load, low=0)
    blocking = 1.0
    for k in range(1, servers + 1):
        blocking = load * blocking / (k + load * blocking)
    return blocking


def erlang_c(servers: int, offered_load: float) -> float:
    """Return the Erlang C probability that an arrival has to wait in an M/M/c queue.

    Computed from Erlang B as ``C = B / (1 - (a / c) (1 - B))``.

    Parameters
    ----------
    servers : int
        Number of servers c, 1 to 10,000,000.
    offered_load : float
        ``a = arrival_rate / service_rate``, non-negative and below *servers*.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If *servers* is not an int from 1 to 10,000,000, or ``offered_load >= servers``
        (utilisation 1 or more: the queue grows without bound).

    Examples
    --------
    >>> round(erlang_c(servers=2, offered_load=1.0), 4)
    0.3333
    >>> erlang_c(servers=1, offered_load=0.75)
    0.75
    """
    servers = arguments.integer("servers", servers, low=1, high=MAX_SERVERS)
    load = arguments.real("offered_load", offered_load, low=0)
    arguments.stable(load / servers)
    blocking = erlang_b(servers, load)
    return blocking / (1 - load / servers * (1 - blocking))
