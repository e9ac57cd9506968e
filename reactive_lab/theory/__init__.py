"""Closed forms a learner can compare simulations against.

    >>> import reactive_lab as rl
    >>> round(rl.theory.erlang_c(servers=2, offered_load=1.0), 4)
    0.3333

:mod:`~reactive_lab.theory.queueing` holds Little's law and Erlang B and C;
:mod:`~reactive_lab.theory.mmc` the M/M/1 and M/M/c metrics with percentiles, and server
sizing for a latency target; :mod:`~reactive_lab.theory.mg1` the Pollaczek–Khinchine mean
wait of an M/G/1 queue; :mod:`~reactive_lab.theory.retries` and
:mod:`~reactive_lab.theory.quorums` timeouts, retries and quorum staleness (chapter 2);
:mod:`~reactive_lab.theory.availability` nines, block diagrams and failure detectors
(chapter 3); :mod:`~reactive_lab.theory.scaling` Amdahl's law and the Universal
Scalability Law with a fit, and :mod:`~reactive_lab.theory.capacity` bounded M/M/c/K
queues, the service level P(wait <= t) and sizing with headroom and N+k (chapter 4).
"""

from reactive_lab.theory import availability, quorums, retries
from reactive_lab.theory.availability import *  # noqa: F403 (names listed in its __all__)
from reactive_lab.theory.capacity import (
    BoundedQueueMetrics,
    mmck,
    servers_for_service_level,
    service_level,
    survivor_utilisation,
)
from reactive_lab.theory.mg1 import mg1_mean_wait
from reactive_lab.theory.mmc import QueueMetrics, mm1, mmc, servers_for_response_target
from reactive_lab.theory.queueing import erlang_b, erlang_c, littles_law
from reactive_lab.theory.quorums import *  # noqa: F403 (names listed in its __all__)
from reactive_lab.theory.retries import *  # noqa: F403 (names listed in its __all__)
from reactive_lab.theory.scaling import USLFit, amdahl, fit_usl, usl, usl_peak

__all__ = [
    "BoundedQueueMetrics",
    "QueueMetrics",
    "USLFit",
    "amdahl",
    "erlang_b",
    "erlang_c",
    "fit_usl",
    "littles_law",
    "mg1_mean_wait",
    "mm1",
    "mmc",
    "mmck",
    "servers_for_response_target",
    "servers_for_service_level",
    "service_level",
    "survivor_utilisation",
    "usl",
    "usl_peak",
    *availability.__all__,
    *quorums.__all__,
    *retries.__all__,
]
