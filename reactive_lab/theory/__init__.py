"""Closed forms a learner can compare simulations against.

    >>> import reactive_lab as rl
    >>> round(rl.theory.erlang_c(servers=2, offered_load=1.0), 4)
    0.3333

:mod:`~reactive_lab.theory.queueing` holds Little's law and Erlang B and C;
:mod:`~reactive_lab.theory.mmc` the M/M/1 and M/M/c metrics with percentiles, and server
sizing for a latency target; :mod:`~reactive_lab.theory.mg1` the Pollaczek–Khinchine mean
wait of an M/G/1 queue.
"""

from reactive_lab.theory.availability import *  # noqa: F403 (names listed in its __all__)
from reactive_lab.theory.availability import __all__ as _availability
from reactive_lab.theory.mg1 import mg1_mean_wait
from reactive_lab.theory.mmc import QueueMetrics, mm1, mmc, servers_for_response_target
from reactive_lab.theory.queueing import erlang_b, erlang_c, littles_law
from reactive_lab.theory.quorums import *  # noqa: F403 (chapter 2: names in its __all__)
from reactive_lab.theory.retries import *  # noqa: F403 (chapter 2: names in its __all__)

__all__ = [
    *_availability,
    "QueueMetrics",
    "erlang_b",
    "erlang_c",
    "littles_law",
    "mg1_mean_wait",
    "mm1",
    "mmc",
    "servers_for_response_target",
    *quorums.__all__,  # noqa: F405
    *retries.__all__,  # noqa: F405
]
