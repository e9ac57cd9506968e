"""Explorables of chapter 1, Distribution: one module per page, drawing and wiring only.

The models they draw live in :mod:`reactive_lab.distribution`; each module here holds a
``plot_*`` function per model and a factory registered with its page.

>>> [c.name for c in topology_builder().controls]
['pattern', 'n']
"""

# Taught in chapters/01-distribution/; keep names in sync.

from reactive_lab.distribution.explorables.architecture import (
    BALANCED_NODES,
    load_balancing,
    plot_dispatch,
)
from reactive_lab.distribution.explorables.connectivity import failure_detection, plot_suspicion
from reactive_lab.distribution.explorables.patterns import (
    CLUSTER_SIZES,
    plot_topology,
    topology_builder,
)
from reactive_lab.distribution.explorables.request_paths import FANOUTS, fanout_tail, plot_fanout
from reactive_lab.distribution.explorables.scale import SCALE_SIZES, cluster_scale, plot_scale
from reactive_lab.distribution.explorables.sharding import plot_balance, vnodes_balance

__all__ = [
    "BALANCED_NODES",
    "load_balancing",
    "plot_dispatch",
    "CLUSTER_SIZES",
    "SCALE_SIZES",
    "cluster_scale",
    "plot_scale",
    "FANOUTS",
    "failure_detection",
    "fanout_tail",
    "plot_balance",
    "plot_suspicion",
    "plot_fanout",
    "plot_topology",
    "topology_builder",
    "vnodes_balance",
]
