"""Availability: supervision, failure detection, redundancy and failover, monitoring.

>>> import reactive_lab as rl
>>> round(rl.availability.relay_blocks(3).system, 5)
0.99999

Models on :mod:`reactive_lab.core.sim`: :mod:`~reactive_lab.availability.blocks` (k-of-n
groups of repairable replicas, Relay as a block diagram),
:mod:`~reactive_lab.availability.faults` (transient and deterministic faults),
:mod:`~reactive_lab.availability.supervision` (OTP supervisors: strategies, intensity,
escalation), :mod:`~reactive_lab.availability.service` (a logic node's tree under a crash
rate), :mod:`~reactive_lab.availability.detection` (heartbeats, timeouts and phi accrual),
:mod:`~reactive_lab.availability.failover` (active-passive failover, split brain,
fencing) and :mod:`~reactive_lab.availability.monitoring` (alarms with hysteresis). Closed
forms are in :mod:`reactive_lab.theory.availability`; figures in
:mod:`~reactive_lab.availability.explorables`, imported on first use.
"""

# Taught in chapters/03-availability/; keep names in sync.

from reactive_lab.availability.blocks import (
    TIERS,
    GroupReport,
    RelayBlocks,
    relay_blocks,
    simulate_group,
    up_fraction,
)
from reactive_lab.availability.detection import (
    AKKA_ACCEPTABLE_PAUSE_S,
    AKKA_HEARTBEAT_S,
    AKKA_MIN_STD_S,
    AKKA_THRESHOLD,
    Verdict,
    akka_timeout,
    heartbeat_arrivals,
    judge,
    phi_timeouts,
)
from reactive_lab.availability.failover import (
    NODES,
    FailoverRun,
    expected_detection,
    simulate_failover,
)
from reactive_lab.availability.faults import CRASH, DeterministicFault, TransientFault
from reactive_lab.availability.monitoring import alarms, noisy_trend, time_to_threshold
from reactive_lab.availability.service import CHILDREN, ServiceReport, supervised_service
from reactive_lab.availability.supervision import STRATEGIES, Supervisor, Worker
from reactive_lab.lazy import on_first_use

__all__ = [
    "AKKA_ACCEPTABLE_PAUSE_S",
    "AKKA_HEARTBEAT_S",
    "AKKA_MIN_STD_S",
    "AKKA_THRESHOLD",
    "CHILDREN",
    "CRASH",
    "NODES",
    "STRATEGIES",
    "TIERS",
    "DeterministicFault",
    "FailoverRun",
    "GroupReport",
    "RelayBlocks",
    "ServiceReport",
    "Supervisor",
    "TransientFault",
    "Verdict",
    "Worker",
    "akka_timeout",
    "alarms",
    "expected_detection",
    "heartbeat_arrivals",
    "judge",
    "noisy_trend",
    "phi_timeouts",
    "relay_blocks",
    "simulate_failover",
    "simulate_group",
    "supervised_service",
    "time_to_threshold",
    "up_fraction",
]

__getattr__ = on_first_use(__name__, ["explorables"])
