"""Explorables of chapter 1, Distribution: topologies, placement, failure detection, fan-out.

One module per page of the chapter. Each explorable is three layers: a model function that
returns numbers (computed with :mod:`reactive_lab.distribution`), a plot function that
draws them on an axes, and a factory that wires controls to both and registers the
explorable with its page.

>>> report = topology_report("hub", 6)
>>> report.summary["connections"], report.worst.unreachable_fraction
(6, 1.0)
"""

# Taught in chapters/01-distribution/; keep names in sync.

from reactive_lab.explorables.distribution.connectivity import (
    Detection,
    detection_report,
    failure_detection,
    plot_detection,
)
from reactive_lab.explorables.distribution.patterns import (
    CLUSTER_SIZES,
    TopologyReport,
    plot_topology,
    topology_builder,
    topology_report,
)
from reactive_lab.explorables.distribution.request_paths import (
    FANOUTS,
    RELAY_HOPS_MS,
    SERVICE_LATENCY,
    FanoutResult,
    fanout_report,
    fanout_tail,
    plot_fanout,
)
from reactive_lab.explorables.distribution.sharding import (
    Balance,
    balance_report,
    plot_balance,
    vnodes_balance,
)

__all__ = [
    "CLUSTER_SIZES",
    "FANOUTS",
    "RELAY_HOPS_MS",
    "SERVICE_LATENCY",
    "Balance",
    "Detection",
    "FanoutResult",
    "TopologyReport",
    "balance_report",
    "detection_report",
    "failure_detection",
    "fanout_report",
    "fanout_tail",
    "plot_balance",
    "plot_detection",
    "plot_fanout",
    "plot_topology",
    "topology_builder",
    "topology_report",
    "vnodes_balance",
]
