"""Chapter 4, Scalability: load regulation, back pressure, overload and load tests.

>>> import reactive_lab as rl
>>> r = rl.scalability.overload_run("concurrency limit", load=2.0, seconds=10.0, seed=1)
>>> r.max_queue <= 10
True

Modules: :mod:`~reactive_lab.scalability.regulators` (admission policies: token bucket,
concurrency limit, adaptive limit), :mod:`~reactive_lab.scalability.server` (a server
with a regulated door and a FIFO, LIFO or CoDel queue, on the simulation core),
:mod:`~reactive_lab.scalability.clients` (open-loop phones that time out and retry, with
retry budgets and adaptive throttling), :mod:`~reactive_lab.scalability.overload` (the
overload and metastability experiments), :mod:`~reactive_lab.scalability.backpressure`
(cast, call and credits between a fast producer and a slow consumer),
:mod:`~reactive_lab.scalability.loadtest` (a cluster load test for the USL fit) and
:mod:`~reactive_lab.scalability.explorables` (their figures), imported on first use.
The closed forms are in :mod:`reactive_lab.theory.scaling` and
:mod:`reactive_lab.theory.capacity`.
"""

# Taught in chapters/04-scalability/; keep names in sync.

from reactive_lab.lazy import on_first_use
from reactive_lab.scalability.backpressure import MODES, FlowResult, producer_consumer
from reactive_lab.scalability.capacity import SizingPlan, sizing_plan
from reactive_lab.scalability.clients import RetryingClients, retrying_clients
from reactive_lab.scalability.loadtest import LoadTest, load_test, relay_load_test
from reactive_lab.scalability.overload import (
    DEFENCES,
    REGULATORS,
    OverloadResult,
    SpikeResult,
    overload_run,
    regulated_server,
    spike_run,
)
from reactive_lab.scalability.regulators import (
    AdaptiveLimit,
    AdmitAll,
    ConcurrencyLimit,
    PlainPolicy,
    TokenBucket,
    is_policy,
)
from reactive_lab.scalability.server import REJECTED, RegulatedServer, spawn_server

__all__ = [
    "DEFENCES",
    "MODES",
    "REGULATORS",
    "REJECTED",
    "AdaptiveLimit",
    "AdmitAll",
    "ConcurrencyLimit",
    "FlowResult",
    "LoadTest",
    "OverloadResult",
    "PlainPolicy",
    "RegulatedServer",
    "RetryingClients",
    "SizingPlan",
    "SpikeResult",
    "TokenBucket",
    "is_policy",
    "load_test",
    "overload_run",
    "producer_consumer",
    "regulated_server",
    "relay_load_test",
    "retrying_clients",
    "sizing_plan",
    "spawn_server",
    "spike_run",
]

__getattr__ = on_first_use(__name__, ["explorables"])
