"""The M/G/1 queue: Poisson arrivals, one server, any service-time distribution.

Utilisation is not the whole story: at the same load, requests whose work varies more wait
longer. The Pollaczek–Khinchine formula says by how much, exactly:

    >>> import reactive_lab as rl
    >>> constant = rl.theory.mg1_mean_wait(0.8, mean_service=1.0, service_scv=0.0)
    >>> exponential = rl.theory.mg1_mean_wait(0.8, mean_service=1.0, service_scv=1.0)
    >>> round(constant, 6), round(exponential, 6)   # M/D/1 waits half as long as M/M/1
    (2.0, 4.0)
"""

# Taught in chapters/00-queues/; keep names in sync.

from __future__ import annotations

from reactive_lab.core import arguments

__all__ = ["mg1_mean_wait"]


def mg1_mean_wait(arrival_rate: float, mean_service: float, service_scv: float) -> float:
    """Return the mean time in queue of an M/G/1 queue (Pollaczek–Khinchine).

    ``Wq = rho / (1 - rho) * (1 + scv) / 2 * mean_service`` with ``rho = arrival_rate *
    mean_service``, where *scv* is the squared coefficient of variation of the service
    time (variance over mean squared): 0 for constant work, 1 for exponential, more for
    work with a long tail. The wait grows linearly in the variability and hyperbolically in
    the load.

    Parameters
    ----------
    arrival_rate : float
        Poisson arrivals per unit time, positive.
    mean_service : float
        Mean service time, positive; ``arrival_rate * mean_service`` must be below 1.
    service_scv : float
        Squared coefficient of variation of the service time, non-negative.

    Returns
    -------
    float
        Mean waiting time before service, in the time unit of *mean_service*.

    Raises
    ------
    ValueError
        If a rate or time is not positive, *service_scv* is negative, or the utilisation
        is 1 or more (the queue would grow without bound).

    Examples
    --------
    >>> round(mg1_mean_wait(0.5, mean_service=1.0, service_scv=3.0), 6)
    2.0
    """
    arrival_rate = arguments.positive("arrival_rate", arrival_rate)
    mean_service = arguments.positive("mean_service", mean_service)
    service_scv = arguments.real("service_scv", service_scv, low=0)
    load = arguments.stable(arrival_rate * mean_service)  # the utilisation of one server
    return load / (1 - load) * (1 + service_scv) / 2 * mean_service
