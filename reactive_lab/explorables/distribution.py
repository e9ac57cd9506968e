"""Explorables of chapter 1, Distribution: topologies, placement, failure detection, fan-out.

Each explorable is three layers: a model function that returns numbers (computed with
:mod:`reactive_lab.distribution`), a plot function that draws them on an axes, and a factory
that wires controls to both and registers the explorable with its page.

>>> report = topology_report("hub", 6)
>>> report.summary["connections"], report.worst.unreachable_fraction
(6, 1.0)
"""

# Taught in chapters/01-distribution/; keep names in sync.

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from matplotlib.collections import LineCollection
from scipy import stats

from reactive_lab import core, distribution, figures
from reactive_lab.explore import Dropdown, Explorable, Slider, register

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

_PAGE = "chapters/01-distribution/"
SEED = 2026

# -- topology builder -------------------------------------------------------------------

CLUSTER_SIZES = (4, 6, 8, 12, 16, 24, 32)
"""Sizes the topology builder offers: 5 patterns x 7 sizes = 35 frames."""

_ROLE_COLOURS = {
    "node": figures.PALETTE["blue"],
    "client": figures.PALETTE["sky"],
    "server": figures.PALETTE["orange"],
    "hub": figures.PALETTE["purple"],
    "gateway": figures.PALETTE["green"],
}


@dataclass(frozen=True)
class TopologyReport:
    """A cluster graph, its readout numbers and the single failure that cuts the most."""

    pattern: str
    n: int
    graph: object
    summary: dict
    worst: distribution.FailureImpact


def topology_report(pattern, n) -> TopologyReport:
    """Return the graph of *pattern* at size *n* with its cost and its worst single failure."""
    G = distribution.topology(pattern, n)
    hops = distribution.hop_counts(G)
    worst = distribution.worst_single_failure(G)
    summary = {
        "nodes": G.number_of_nodes(),
        "connections": distribution.connection_count(G),
        "max_connections_per_node": max(d for _, d in G.degree),
        "heartbeats_per_s": distribution.heartbeat_messages_per_second(G),
        "mean_hops": hops.mean,
        "max_hops": hops.max,
    }
    return TopologyReport(pattern, n, G, summary, worst)


def _failure_text(report: TopologyReport) -> str:
    worst = report.worst
    if worst.unreachable_pairs == 0:
        return "no single node or link failure disconnects anyone"
    what = (f"node {worst.node} ({report.graph.nodes[worst.node]['role']})"
            if worst.node is not None else f"link {worst.edge[0]}–{worst.edge[1]}")
    isolated = f", {len(worst.isolated)} members left alone" if worst.isolated else ""
    return f"losing {what} cuts {worst.unreachable_fraction:.0%} of member pairs apart{isolated}"


def plot_topology(report: TopologyReport, ax=None):
    """Draw the cluster: nodes coloured by role, the most damaging failure in vermillion."""
    if ax is None:
        ax = figures.new_figure().subplots()
    G, worst = report.graph, report.worst
    pos = distribution.layout(G)
    segments = [(pos[u], pos[v]) for u, v in G.edges]
    width = 0.6 if len(segments) > 150 else 1.0
    ax.add_collection(LineCollection(segments, colors=figures.PALETTE["grey"],
                                     linewidths=width, alpha=0.6, zorder=1))
    cut = worst.unreachable_pairs > 0
    if cut and worst.edge is not None:
        u, v = worst.edge
        ax.plot(*zip(pos[u], pos[v]), color=figures.PALETTE["vermillion"], lw=4, zorder=2)
    size = 140 if G.number_of_nodes() <= 16 else 70
    roles = {}
    for v, role in G.nodes(data="role"):
        roles.setdefault(role, []).append(v)
    for role, nodes in roles.items():
        xy = np.array([pos[v] for v in nodes])
        ax.scatter(xy[:, 0], xy[:, 1], s=size, color=_ROLE_COLOURS[role], zorder=3,
                   edgecolors="white", linewidths=0.8, label=role)
    if cut and worst.node is not None:
        x, y = pos[worst.node]
        ax.scatter([x], [y], s=size * 2.2, color=figures.PALETTE["vermillion"], zorder=4,
                   edgecolors="black", linewidths=1, label="worst single failure")
    reach = max(max(abs(x), abs(y)) for x, y in pos.values()) + 0.15
    ax.set_xlim(-reach, reach)
    ax.set_ylim(-reach, reach)
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=9)
    return ax


@register(page=_PAGE + "patterns")
def topology_builder() -> Explorable:
    """Explorable: pick a pattern and a size; see its connections, heartbeats, hops, weak spot."""

    def draw(fig, pattern, n):
        report = topology_report(pattern, n)
        ax = fig.add_axes((0.0, 0.02, 0.66, 0.96))
        plot_topology(report, ax)
        s = report.summary
        readout = "\n".join([
            f"{pattern}, n = {n} ({s['nodes']} nodes drawn)",
            f"connections: {s['connections']} (busiest node holds {s['max_connections_per_node']})",
            f"idle heartbeats: {s['heartbeats_per_s']:.1f} messages/s (net_ticktime 60 s)",
            f"hops between members: mean {s['mean_hops']:.2f}, max {s['max_hops']}",
            f"worst single failure: {_failure_text(report)}",
        ])
        alt = (
            f"Drawing of a {pattern} cluster with n = {n}: {s['nodes']} nodes joined by "
            f"{s['connections']} connections; members are at most {s['max_hops']} hops apart. "
            f"Worst single failure: {_failure_text(report)}"
            + (", highlighted in vermillion." if report.worst.unreachable_pairs else ".")
        )
        return readout, alt

    return Explorable(
        "topology_builder", draw,
        [Dropdown("pattern", distribution.PATTERNS, label="pattern"),
         Slider("n", CLUSTER_SIZES, label="size n", default=8)],
        alt="A {pattern} cluster of size {n}.",
        figsize=(5.2, 3.6),
    )


def _short(value):
    """Tick label: 0.1, 1, 10, 100, 1k, 10k, 100k."""
    return f"{value / 1000:g}k" if value >= 1000 else f"{value:g}"


def _log_axes(ax, x, y):
    """Log scales with plain-number labels and no minor ticks (they triple the redraw time)."""
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xticks(x, [f"{v:g}" for v in x])
    ax.set_yticks(y, [_short(v) for v in y])
    ax.minorticks_off()


# -- virtual nodes: balance and keys moved ----------------------------------------------

VNODES = (1, 2, 4, 8, 16, 32, 64, 128, 256)
NODE_COUNTS = (4, 8, 16)
_SHARE_LIMIT = 4.0


@dataclass(frozen=True)
class Balance:
    """Exact ownership of a consistent-hash ring and what a join moves."""

    nodes: int
    vnodes: int
    shares: np.ndarray
    """Each node's fraction of the hash space."""
    imbalance: float
    cv: float
    cv_theory: float
    moved: float
    """Fraction of keys the (n+1)-th node takes over: exactly its share of the new ring."""


def balance_report(nodes, vnodes) -> Balance:
    """Return the exact shares of an n-node ring with *vnodes* points each, and a join's cost."""
    names = [f"store{i + 1}" for i in range(nodes)]
    ring = distribution.ConsistentHashRing(names, vnodes=vnodes)
    shares = np.array(list(distribution.ring_ownership(ring).values()))
    grown = ring.with_node(f"store{nodes + 1}")
    return Balance(
        nodes=nodes,
        vnodes=vnodes,
        shares=shares,
        imbalance=distribution.imbalance(shares),
        cv=float(shares.std() / shares.mean()),
        cv_theory=distribution.ownership_cv(nodes, vnodes),
        # Only the newcomer's arcs change owner, so its share is exactly what moves.
        moved=distribution.ring_ownership(grown)[f"store{nodes + 1}"],
    )


def plot_balance(balance: Balance, ax=None):
    """Draw each node's share of the keys relative to a fair 1/n share."""
    if ax is None:
        ax = figures.new_figure().subplots()
    relative = balance.shares * balance.nodes
    index = np.arange(1, balance.nodes + 1)
    colours = [figures.PALETTE["vermillion"] if r == relative.max() else figures.color(0)
               for r in relative]
    ax.bar(index, np.minimum(relative, _SHARE_LIMIT), color=colours, width=0.7)
    for x, r in zip(index, relative):
        if r > _SHARE_LIMIT:  # the axis stays fixed while the slider moves: label what it cuts
            ax.text(x, _SHARE_LIMIT * 0.97, f"{r:.1f}×", ha="center", va="top", fontsize=9,
                    color="white", fontweight="bold", rotation=90)
    ax.axhline(1.0, color="black", ls="--", lw=1.2, label="fair share 1/n")
    ax.axhline(balance.imbalance, color=figures.PALETTE["vermillion"], ls=":", lw=1.2,
               label=f"busiest node: {balance.imbalance:.2f}× fair")
    ax.set_ylim(0, _SHARE_LIMIT + 0.8)
    ax.set_yticks(np.arange(0, _SHARE_LIMIT + 0.5, 1.0))
    ax.set_xlim(0.3, balance.nodes + 0.7)
    ax.set_xticks(index if balance.nodes <= 8 else index[::2])
    figures.label(ax, x="message-store node", y="share of keys ÷ fair share")
    ax.legend(loc="upper center", ncol=2)
    return ax


@register(page=_PAGE + "sharding")
def vnodes_balance() -> Explorable:
    """Explorable: virtual nodes per node against load imbalance and keys moved by a join."""

    def draw(fig, vnodes, nodes):
        b = balance_report(nodes, vnodes)
        plot_balance(b, fig.subplots())
        ideal = distribution.expected_moved_fraction_consistent(nodes)
        modulo = distribution.expected_moved_fraction_modulo(nodes)
        readout = "\n".join([
            f"{nodes} nodes × {vnodes} virtual nodes = {nodes * vnodes} points on the ring",
            f"imbalance (max/mean): {b.imbalance:.2f}; the cluster is full at "
            f"{1 / b.imbalance:.0%} of its capacity",
            f"spread of shares (CV): {b.cv:.2f}; theory {b.cv_theory:.2f}",
            f"a join moves {b.moved:.1%} of keys (ideal 1/{nodes + 1} = {ideal:.1%}; "
            f"modulo {nodes}/{nodes + 1} = {modulo:.1%})",
        ])
        alt = (
            f"Bar chart of each of {nodes} nodes' share of the keys on a consistent-hash ring "
            f"with {vnodes} virtual nodes per node, relative to a fair share. The busiest node "
            f"holds {b.imbalance:.2f} times its fair share. Adding a node moves "
            f"{b.moved:.1%} of keys against an ideal {ideal:.1%}."
        )
        return readout, alt

    return Explorable(
        "vnodes_balance", draw,
        [Slider("vnodes", VNODES, label="vnodes", default=1),
         Dropdown("nodes", NODE_COUNTS, label="nodes", default=8)],
        alt="Shares of {nodes} nodes with {vnodes} virtual nodes each.",
    )


# -- failure detection: net_ticktime against heartbeat traffic --------------------------

TICKTIMES_S = (5, 10, 20, 30, 60, 120, 300)
MESH_SIZES = (10, 30, 100, 300)
_TICKTIME_CURVE = np.geomspace(2, 600, 60)


@dataclass(frozen=True)
class Detection:
    """Detection window and idle heartbeat traffic of a full mesh at one net_ticktime."""

    nodes: int
    net_ticktime_s: float
    window_s: tuple
    connections: int
    heartbeats_per_s: float


def detection_report(nodes, net_ticktime_s) -> Detection:
    """Return when a silent peer is declared down and what the ticks cost a full mesh."""
    tick = net_ticktime_s / distribution.TICKS_PER_TICKTIME
    # n(n-1)/2 connections in closed form: building a 300-node mesh (44,850 edges) would
    # cost a live redraw a quarter of a second. The tests check it against full_mesh().
    connections = nodes * (nodes - 1) // 2
    return Detection(
        nodes=nodes,
        net_ticktime_s=float(net_ticktime_s),
        window_s=distribution.failure_detection_window_s(float(net_ticktime_s)),
        connections=connections,
        heartbeats_per_s=2 * connections / tick,
    )


def _mesh_heartbeats(nodes, ticktimes):
    """Idle ticks per second of a full mesh: 2 per connection per net_ticktime/4."""
    return 2 * (nodes * (nodes - 1) / 2) / (np.asarray(ticktimes) / distribution.TICKS_PER_TICKTIME)


def plot_detection(detection: Detection, ax=None):
    """Draw heartbeat traffic against detection time for meshes of each size, log-log."""
    if ax is None:
        ax = figures.new_figure().subplots()
    latest = _TICKTIME_CURVE * 1.25
    for i, n in enumerate(MESH_SIZES):
        chosen = n == detection.nodes
        ax.plot(latest, _mesh_heartbeats(n, _TICKTIME_CURVE), color=figures.color(i),
                ls=figures.LINESTYLES[i], lw=2.5 if chosen else 1.2, alpha=1 if chosen else 0.6,
                label=f"{n}-node mesh")
    earliest, last = detection.window_s
    colour = figures.color(MESH_SIZES.index(detection.nodes))
    ax.errorbar([last], [detection.heartbeats_per_s],
                xerr=[[last - earliest], [0]], fmt="o", color=colour, ms=8,
                markeredgecolor="black", capsize=4, lw=2)
    _log_axes(ax, x=(3, 10, 30, 100, 300), y=(0.1, 1, 10, 100, 1e3, 1e4, 1e5))
    ax.set_xlim(2, 800)
    ax.set_ylim(0.1, 1e6)
    figures.label(ax, x="latest time to declare a silent node down", x_unit="s",
                  y="idle ticks", y_unit="messages/s")
    ax.legend(loc="lower left", fontsize=9)
    return ax


@register(page=_PAGE + "connectivity")
def failure_detection() -> Explorable:
    """Explorable: net_ticktime trades detection time against heartbeat traffic."""

    def draw(fig, net_ticktime, nodes):
        d = detection_report(nodes, net_ticktime)
        plot_detection(d, fig.subplots())
        earliest, latest = d.window_s
        tick = net_ticktime / distribution.TICKS_PER_TICKTIME
        readout = "\n".join([
            f"net_ticktime {net_ticktime} s: a tick every {tick:g} s on each idle connection",
            f"a silent node is declared down after {earliest:g}–{latest:g} s",
            f"{nodes}-node full mesh: {d.connections} connections",
            f"idle ticks: {d.heartbeats_per_s:,.1f} messages/s cluster-wide, "
            f"{d.heartbeats_per_s / nodes:,.2f} per node",
        ])
        alt = (
            f"Log-log plot of idle tick traffic against the time to declare a silent node "
            f"down, one falling line per full-mesh size (10, 30, 100, 300 nodes). Marked: a "
            f"{nodes}-node mesh at net_ticktime {net_ticktime} s, detected after "
            f"{earliest:g} to {latest:g} s, sending {d.heartbeats_per_s:,.1f} ticks per second."
        )
        return readout, alt

    return Explorable(
        "failure_detection", draw,
        [Slider("net_ticktime", TICKTIMES_S, label="net_ticktime", default=60,
                format=lambda v: f"{v} s"),
         Dropdown("nodes", MESH_SIZES, label="full mesh of", default=100,
                  format=lambda v: f"{v} nodes")],
        alt="Tick traffic against detection time at net_ticktime {net_ticktime} s.",
    )


# -- fan-out: the slowest call decides --------------------------------------------------

FANOUTS = (1, 2, 5, 10, 20, 50, 100)
RELAY_HOPS_MS = {"front-end": 1.0, "logic": 2.0}
"""Fixed time (ms) a message spends in a front-end node and in a logic node."""
SERVICE_LATENCY = core.LogNormal(mean=5.0, cv=1.0)
"""One user-directory lookup (ms): log-normal, mean 5 ms, as variable as its mean."""
REQUESTS = 10_000
_QUANTILES = (50, 99)


def _service_ppf(u):
    sigma2 = math.log1p(SERVICE_LATENCY.cv**2)
    scale = SERVICE_LATENCY.mean * math.exp(-sigma2 / 2)
    return float(stats.lognorm.ppf(u, math.sqrt(sigma2), scale=scale))


@dataclass(frozen=True)
class FanoutResult:
    """End-to-end latency of Relay requests fanning out to k lookups, simulated and exact."""

    fanout: int
    latencies_ms: np.ndarray
    baseline_ms: np.ndarray
    simulated: dict
    theory: dict
    baseline_theory: dict
    hits_tail: float


def fanout_report(fanout, requests=REQUESTS, seed=SEED) -> FanoutResult:
    """Simulate Relay requests that cross two fixed hops and fan out to *fanout* lookups."""
    serial = [core.Deterministic(v) for v in RELAY_HOPS_MS.values()]
    fixed = sum(RELAY_HOPS_MS.values())

    def run(k):
        return distribution.simulate_request_path(serial + [SERVICE_LATENCY], fanout=k,
                                                  requests=requests, seed=seed)

    def exact(k):
        return {q: fixed + distribution.slowest_of_k_quantile(q / 100, k, _service_ppf)
                for q in _QUANTILES}

    latencies = run(fanout)
    return FanoutResult(
        fanout=fanout,
        latencies_ms=latencies,
        baseline_ms=latencies if fanout == 1 else run(1),
        simulated={int(q): v for q, v in core.percentiles(latencies, _QUANTILES).items()},
        theory=exact(fanout),
        baseline_theory=exact(1),
        hits_tail=distribution.probability_hits_tail(fanout, 0.99),
    )


_CCDF_TIMES_MS = np.geomspace(3, 300, 240)


def _ccdf(values):
    """P(latency > t) on a fixed log grid: 240 points draw far faster than 10,000 steps."""
    ordered = np.sort(values)
    return _CCDF_TIMES_MS, 1 - np.searchsorted(ordered, _CCDF_TIMES_MS, side="right") / len(ordered)


def plot_fanout(result: FanoutResult, ax=None):
    """Draw P(latency > t) for k lookups against one lookup, with the p50 and p99 of k."""
    if ax is None:
        ax = figures.new_figure().subplots()
    for i, (values, name) in enumerate([(result.baseline_ms, "1 lookup"),
                                        (result.latencies_ms, f"{result.fanout} lookups")]):
        if i == 1 and result.fanout == 1:
            break
        t, tail = _ccdf(values)
        shown = tail > 0
        ax.plot(t[shown], tail[shown], color=figures.color(i), ls=figures.LINESTYLES[i],
                label=name)
    for q, style in zip(_QUANTILES, ("--", ":")):
        ax.axvline(result.simulated[q], color=figures.PALETTE["vermillion"], ls=style, lw=1.2,
                   label=f"p{q} = {result.simulated[q]:.0f} ms")
    _log_axes(ax, x=(3, 10, 30, 100, 300), y=(0.001, 0.01, 0.1, 1))
    ax.set_ylim(1e-3, 1.1)
    ax.set_xlim(3, 300)
    figures.label(ax, x="request latency t", x_unit="ms", y="P(latency > t)")
    ax.legend(loc="lower left", fontsize=9)
    return ax


@register(page=_PAGE + "request-paths")
def fanout_tail() -> Explorable:
    """Explorable: fan-out k against the p50 and p99 of a Relay request."""

    def draw(fig, fanout):
        r = fanout_report(fanout)
        plot_fanout(r, fig.subplots())
        sim, exact, base = r.simulated, r.theory, r.baseline_theory
        readout = "\n".join([
            f"k = {fanout} parallel lookups after 3 ms of fixed hops",
            f"p50: {sim[50]:.1f} ms simulated, {exact[50]:.1f} ms exact (k = 1: {base[50]:.1f})",
            f"p99: {sim[99]:.1f} ms simulated, {exact[99]:.1f} ms exact (k = 1: {base[99]:.1f})",
            f"requests with a lookup slower than its p99: {r.hits_tail:.0%}",
        ])
        alt = (
            f"Probability that a Relay request takes longer than t, log-log, for {fanout} "
            f"parallel lookups against a single lookup. With k = {fanout} the median is "
            f"{sim[50]:.1f} ms and the p99 {sim[99]:.1f} ms, against {base[50]:.1f} and "
            f"{base[99]:.1f} ms for one lookup."
        )
        return readout, alt

    return Explorable(
        "fanout_tail", draw,
        [Slider("fanout", FANOUTS, label="fan-out k", default=10)],
        alt="Latency tail of a request fanning out to {fanout} lookups.",
    )
