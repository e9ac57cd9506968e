"""Explorables of chapter 2, Interfaces and state: one module per page, drawing and wiring.

The models they draw live in :mod:`reactive_lab.interfaces`; each module here holds a
``plot_*`` function per model and a factory registered with its page.

>>> [c.name for c in quorum_tradeoffs().controls]
['r', 'w']
"""

# Taught in chapters/02-interfaces/; keep names in sync.

from reactive_lab.interfaces.explorables.calls import TIMEOUTS_MS, plot_timeout, timeout_tail
from reactive_lab.interfaces.explorables.retries import CLIENTS, plot_race, race
from reactive_lab.interfaces.explorables.state import (
    QUORUM_N,
    REPLICATION,
    WRITE_RATES,
    plot_losses,
    plot_quorum,
    quorum_tradeoffs,
    replication_lag,
)

__all__ = [
    "CLIENTS",
    "QUORUM_N",
    "REPLICATION",
    "TIMEOUTS_MS",
    "WRITE_RATES",
    "plot_losses",
    "plot_quorum",
    "plot_race",
    "plot_timeout",
    "quorum_tradeoffs",
    "race",
    "replication_lag",
    "timeout_tail",
]
