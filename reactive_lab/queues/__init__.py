"""Foundation: why queues decide latency. Models of a pool of servers and of variable work.

>>> import reactive_lab as rl
>>> point = rl.queues.load_point(servers=1, load=0.5, customers=2_000, seed=1)
>>> point.theory[50] < point.theory[99]
True

Modules: :mod:`~reactive_lab.queues.pool` (an M/M/c pool: latency percentiles and the
waiting-time tail, simulated beside Erlang C), :mod:`~reactive_lab.queues.variability`
(one server with work of the same mean and growing variability, beside
Pollaczek–Khinchine), :mod:`~reactive_lab.queues.messages` (Relay's lookup path as
processes on the simulation core, with loss, timeouts and retries) and
:mod:`~reactive_lab.queues.explorables` (their figures, for the page), imported on first
use.
"""

# Taught in chapters/00-queues/; keep names in sync.

from reactive_lab.lazy import on_first_use
from reactive_lab.queues.messages import relay_path
from reactive_lab.queues.pool import (
    CUSTOMERS,
    PERCENTILES,
    SERVICE_RATE,
    LoadPoint,
    WaitTail,
    load_point,
    percentile_curves,
    wait_tail,
)
from reactive_lab.queues.variability import (
    SERVICE_TIMES,
    VariabilityPoint,
    mean_wait_curve,
    variability_point,
)

__all__ = [
    "CUSTOMERS",
    "PERCENTILES",
    "SERVICE_RATE",
    "SERVICE_TIMES",
    "LoadPoint",
    "VariabilityPoint",
    "WaitTail",
    "load_point",
    "mean_wait_curve",
    "percentile_curves",
    "relay_path",
    "variability_point",
    "wait_tail",
]

__getattr__ = on_first_use(__name__, ["explorables"])
