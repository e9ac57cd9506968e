# Taught in chapters/02-interfaces/; keep names in sync.
"""Interfaces and state: calls and timeouts, delivery semantics, retries, replication, quorums.

>>> import reactive_lab as rl
>>> rl.interfaces.FullJitter(base=1.0, cap=8.0).delay(attempt=3, previous=0.0, uniform=0.5)
1.0

Every model runs on the simulation core, :mod:`reactive_lab.core.sim`, and returns numbers
beside their closed forms in :mod:`reactive_lab.theory`:
:mod:`~reactive_lab.interfaces.calls` (timeouts against a latency distribution),
:mod:`~reactive_lab.interfaces.delivery` (at-most-once, at-least-once, exactly-once effect
under lost requests, lost replies and crashes), :mod:`~reactive_lab.interfaces.retry`
(retry policies, retry budgets, the contention race, amplification across layers),
:mod:`~reactive_lab.interfaces.replication` (what a crash loses under synchronous and
asynchronous replication) and :mod:`~reactive_lab.interfaces.quorum` (N, R, W: latency,
staleness and availability). The chapter's figures are in
:mod:`~reactive_lab.interfaces.explorables`, imported on first use.
"""

from reactive_lab.interfaces import calls, delivery, quorum, replication, retry
from reactive_lab.interfaces.calls import *  # noqa: F403
from reactive_lab.interfaces.delivery import *  # noqa: F403
from reactive_lab.interfaces.quorum import *  # noqa: F403
from reactive_lab.interfaces.replication import *  # noqa: F403
from reactive_lab.interfaces.retry import *  # noqa: F403
from reactive_lab.lazy import on_first_use

__all__ = [*calls.__all__, *delivery.__all__, *quorum.__all__, *replication.__all__,
           *retry.__all__]

__getattr__ = on_first_use(__name__, ["explorables"])
