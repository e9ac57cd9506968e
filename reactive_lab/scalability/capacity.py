"""Sizing Relay's logic tier for a latency objective, with headroom and spares.

The question a capacity plan answers: at the peak rate, how many logic nodes keep 99% of
messages waiting at most 20 ms for a worker, with no node busier than 70%, and still do
so when one or two nodes are down? The tier is modelled as an M/M/c pool: the balancer
hands a message to whichever node is free (Erlang C), each node routing
``LOGIC_SERVICE_RATE`` messages per second.

>>> plan = sizing_plan(arrival_rate=900.0, failures=1, customers=20_000, seed=1)
>>> plan.for_objective, plan.with_headroom, plan.nodes
(11, 13, 14)
"""

# Taught in chapters/04-scalability/capacity.md; keep names in sync.

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from reactive_lab import relay
from reactive_lab.core import arguments
from reactive_lab.core.metrics import ConfidenceInterval, batch_means_ci
from reactive_lab.core.station import simulate_mmc
from reactive_lab.theory.capacity import (
    servers_for_service_level,
    service_level,
    survivor_utilisation,
)

__all__ = ["SizingPlan", "sizing_plan"]


@dataclass(frozen=True)
class SizingPlan:
    """How many logic nodes a peak rate needs, and why."""

    arrival_rate: float
    failures: int
    for_objective: int
    """Fewest nodes meeting the wait objective (no margins)."""
    with_headroom: int
    """Fewest meeting it with no node above ``MAX_UTILISATION``."""
    nodes: int
    """The plan: headroom plus *failures* spares."""
    utilisation: float
    """Utilisation of each node with all *nodes* up."""
    survivor_utilisation: float
    """Utilisation with *failures* nodes down (equal to *utilisation* if none)."""
    sizes: np.ndarray
    levels: np.ndarray
    """``P(wait <= objective)`` for each of *sizes* (NaN where unstable)."""
    theory_level: float
    """``P(wait <= objective)`` with *for_objective* nodes (Erlang C)."""
    simulated_level: ConfidenceInterval
    """Share of simulated messages that waited at most the objective with *for_objective*
    nodes (the tightest size, where the formula matters most), with its 99% batch-means
    interval: consecutive waits are correlated, so a binomial interval would be too
    narrow."""


def sizing_plan(arrival_rate: float, failures: int = 1, customers: int = 50_000,
                seed=None) -> SizingPlan:
    """Size the logic tier for *arrival_rate* messages/s with *failures* spare nodes.

    Parameters
    ----------
    arrival_rate : float
        Peak messages per second, above 0 and at most 100,000.
    failures : int, default 1
        Nodes that may be down at once (N+k), 0 to 10.
    customers : int, default 50,000
        Messages in the check simulation, 1,000 to 1,000,000.
    seed : int, optional

    Returns
    -------
    SizingPlan

    Raises
    ------
    ValueError
        If a parameter is out of range.
    """
    rate = arguments.real("arrival_rate", arrival_rate, low=0, high=100_000, low_open=True)
    failures = arguments.integer("failures", failures, low=0, high=10)
    customers = arguments.integer("customers", customers, low=1_000, high=1_000_000)
    mu, wait = relay.LOGIC_SERVICE_RATE, relay.LOGIC_WAIT_OBJECTIVE
    level = relay.LOGIC_SERVICE_LEVEL
    bare = servers_for_service_level(rate, mu, wait, level)
    headroom = servers_for_service_level(rate, mu, wait, level,
                                         max_utilisation=relay.MAX_UTILISATION)
    nodes = headroom + failures
    sizes = np.arange(max(1, bare - 4), nodes + 4)
    levels = np.array([service_level(rate, mu, int(n), wait) if rate < n * mu else np.nan
                       for n in sizes])
    run = simulate_mmc(rate, mu, bare, customers, seed=seed, warmup=customers // 10)
    utilisation = rate / (nodes * mu)
    return SizingPlan(
        arrival_rate=rate, failures=failures, for_objective=bare, with_headroom=headroom,
        nodes=nodes, utilisation=utilisation,
        survivor_utilisation=(survivor_utilisation(utilisation, nodes, failures)
                              if failures else utilisation),
        sizes=sizes, levels=levels, theory_level=service_level(rate, mu, bare, wait),
        simulated_level=batch_means_ci((run.waits <= wait).astype(float)),
    )
