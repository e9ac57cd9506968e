# Taught in chapters/01-distribution/; keep names in sync.
"""Distribution: cluster topologies, placing keys on nodes, and request paths.

>>> import reactive_lab as rl
>>> rl.distribution.connection_count(rl.distribution.full_mesh(10))
45

Modules: :mod:`~reactive_lab.distribution.topology` (full mesh, client-server, hub, ring,
partial mesh), :mod:`~reactive_lab.distribution.layout` (drawing positions),
:mod:`~reactive_lab.distribution.measures` (connections, heartbeats, hops),
:mod:`~reactive_lab.distribution.failures` (what one failure disconnects),
:mod:`~reactive_lab.distribution.hashing` (modulo placement, consistent-hash rings with
virtual nodes, riak_core style fixed partitions), :mod:`~reactive_lab.distribution.balance`
(load imbalance and keys moved, measured and in closed form),
:mod:`~reactive_lab.distribution.traffic` (who forwards whose messages),
:mod:`~reactive_lab.distribution.scale` (the same costs in closed form, for large clusters),
:mod:`~reactive_lab.distribution.suspicion` (false nodedowns from host stalls),
:mod:`~reactive_lab.distribution.balancing` (spreading requests over identical nodes) and
:mod:`~reactive_lab.distribution.request_path` (serial hops plus fan-out, and the
tail-at-scale formulas, and Relay's fan-out). The chapter's figures are in
:mod:`~reactive_lab.distribution.explorables`, imported on first use.
"""

from reactive_lab.distribution.balance import (
    Balance,
    balance_report,
    expected_moved_fraction_consistent,
    expected_moved_fraction_fixed,
    expected_moved_fraction_modulo,
    imbalance,
    keys_moved,
    load_per_node,
    ownership_cv,
    ring_ownership,
)
from reactive_lab.distribution.balancing import (
    POLICIES,
    Dispatch,
    dispatch_report,
    round_robin_sigma,
    simulate_dispatch,
)
from reactive_lab.distribution.failures import (
    FailureImpact,
    TopologyReport,
    cluster_summary,
    failure_impact,
    topology_report,
    worst_single_failure,
)
from reactive_lab.distribution.hashing import (
    HASH_SPACE,
    ConsistentHashRing,
    FixedPartitions,
    ModuloPlacement,
    Placement,
    key_hashes,
    stable_hash,
)
from reactive_lab.distribution.layout import layout
from reactive_lab.distribution.measures import (
    MAX_TICK_INTENSITY,
    MIN_TICK_INTENSITY,
    NET_TICKTIME_S,
    TICKS_PER_TICKTIME,
    HopCounts,
    connection_count,
    failure_detection_window_s,
    heartbeat_messages_per_second,
    hop_counts,
    member_nodes,
)
from reactive_lab.distribution.request_path import (
    FANOUT_QUANTILES,
    FanoutResult,
    fanout_report,
    probability_hits_tail,
    simulate_request_path,
    slowest_of_k_quantile,
)
from reactive_lab.distribution.scale import (
    ERLANG_MESH_NOTE,
    MAX_SCALE_NODES,
    PatternCosts,
    pattern_costs,
)
from reactive_lab.distribution.suspicion import (
    STALLS_S,
    Suspicion,
    false_nodedown_probability,
    false_nodedown_probability_exponential,
    suspicion_report,
)
from reactive_lab.distribution.topology import (
    PATTERNS,
    client_server,
    full_mesh,
    hub,
    partial_mesh,
    ring,
    topology,
)
from reactive_lab.distribution.traffic import (
    busiest_relay_ratio,
    gateway_load_ratio,
    node_loads,
)
from reactive_lab.lazy import on_first_use

__all__ = [
    "ERLANG_MESH_NOTE",
    "MAX_SCALE_NODES",
    "PatternCosts",
    "pattern_costs",
    "MAX_TICK_INTENSITY",
    "MIN_TICK_INTENSITY",
    "POLICIES",
    "STALLS_S",
    "Dispatch",
    "Suspicion",
    "busiest_relay_ratio",
    "dispatch_report",
    "false_nodedown_probability",
    "false_nodedown_probability_exponential",
    "gateway_load_ratio",
    "node_loads",
    "round_robin_sigma",
    "simulate_dispatch",
    "suspicion_report",
    "FANOUT_QUANTILES",
    "Balance",
    "FanoutResult",
    "TopologyReport",
    "balance_report",
    "fanout_report",
    "topology_report",
    "HASH_SPACE",
    "NET_TICKTIME_S",
    "PATTERNS",
    "TICKS_PER_TICKTIME",
    "ConsistentHashRing",
    "FailureImpact",
    "FixedPartitions",
    "HopCounts",
    "ModuloPlacement",
    "Placement",
    "client_server",
    "cluster_summary",
    "connection_count",
    "expected_moved_fraction_consistent",
    "expected_moved_fraction_fixed",
    "expected_moved_fraction_modulo",
    "failure_detection_window_s",
    "failure_impact",
    "full_mesh",
    "heartbeat_messages_per_second",
    "hop_counts",
    "hub",
    "imbalance",
    "key_hashes",
    "keys_moved",
    "layout",
    "member_nodes",
    "load_per_node",
    "ownership_cv",
    "partial_mesh",
    "probability_hits_tail",
    "ring",
    "ring_ownership",
    "simulate_request_path",
    "slowest_of_k_quantile",
    "stable_hash",
    "topology",
    "worst_single_failure",
]

__getattr__ = on_first_use(__name__, ["explorables"])
