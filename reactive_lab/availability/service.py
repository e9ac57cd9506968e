"""A Relay logic node's supervision tree under a crash rate: restarts, give-ups, availability.

The tree is the one on the supervision page: a supervisor over ``store_conn`` (the
connection to the message store), ``router`` (which crashes now and then: a transient
fault) and ``presence``, in that start order. The node serves while all three are up. Each
restart takes *restart_time*; when the supervisor gives up, the node is down until the
whole tree starts again *reboot_after* later (``heart`` or systemd restarting the VM).

>>> r = supervised_service("one_for_one", mean_time_to_crash=60.0, until=3_600.0, seed=1)
>>> r.gave_up, round(r.availability, 3)
(5, 0.951)
"""

# Taught in chapters/03-availability/supervision.md; keep names in sync.

from __future__ import annotations

from dataclasses import dataclass

from reactive_lab import theory
from reactive_lab.availability.blocks import up_fraction
from reactive_lab.availability.faults import TransientFault
from reactive_lab.availability.supervision import Supervisor, Worker
from reactive_lab.core import arguments
from reactive_lab.core.sim import Simulation

__all__ = ["CHILDREN", "ServiceReport", "supervised_service"]

CHILDREN = ("store_conn", "router", "presence")
"""The logic node's children in start order; router is the one that crashes."""


@dataclass(frozen=True)
class ServiceReport:
    """One run of the logic node's tree."""

    strategy: str
    availability: float
    """Fraction of the run with all three children up."""
    restarts: int
    child_restarts: int
    """Processes restarted (each lost its state): the cost of a broad strategy."""
    gave_up: int
    """Times the supervisor exceeded its intensity (each one a node reboot)."""
    theory_without_give_up: float
    """MTBF / (MTBF + restart_time): what restarts alone would cost."""


def supervised_service(strategy: str, mean_time_to_crash: float, *, intensity: int = 1,
                       period: float = 5.0, restart_time: float = 0.5,
                       reboot_after: float = 30.0, until: float = 3_600.0,
                       seed=None) -> ServiceReport:
    """Run the logic node's tree for *until* seconds with router crashing at random.

    Raises
    ------
    ValueError
        If a parameter is out of range.

    Examples
    --------
    >>> supervised_service("one_for_all", 2.0, until=600.0, seed=1).gave_up > 0
    True
    """
    until = arguments.positive("until", until)
    sim = Simulation(seed=seed, record_queues=False)
    children = [Worker(name, TransientFault(mean_time_to_crash) if name == "router" else None)
                for name in CHILDREN]
    sup = Supervisor(sim, "logic_sup", children, strategy=strategy, intensity=intensity,
                     period=period, restart_time=restart_time, reboot_after=reboot_after)
    sim.run(until=until)
    return ServiceReport(
        strategy=strategy,
        availability=up_fraction(sim, CHILDREN),
        restarts=sup.restarts,
        child_restarts=sup.child_restarts,
        gave_up=len(sup.gave_up),
        theory_without_give_up=theory.steady_state_availability(mean_time_to_crash,
                                                                restart_time),
    )
