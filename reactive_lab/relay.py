"""Relay, the messaging service every chapter of the course designs a piece of.

Relay carries chat messages between phones. A phone keeps one connection open to a
**front-end** node, which speaks the client protocol; a message goes to a **logic** node,
which routes it (who is in the conversation, are they online) and asks **service** nodes
to store it, push a notification to offline phones and look users up.

>>> import reactive_lab as rl
>>> G = rl.relay.relay_graph()
>>> sorted({family for _, family in G.nodes(data="family")})
['client', 'front-end', 'logic', 'service']

The chapters ask the same questions of it in turn: how its nodes connect and where each
user's data lives (Distribution), what its calls promise and what happens when one times
out (Interfaces and state), what keeps it up when a node dies (Availability), and how many
nodes it needs for a load and a latency target (Scalability).
"""

# Taught in intro.md and every chapter; keep names in sync.

from __future__ import annotations

import networkx as nx

from reactive_lab import figures
from reactive_lab.core import arguments
from reactive_lab.core.distributions import LogNormal

__all__ = [
    "FAMILIES",
    "HOP_MS",
    "LINK_MS",
    "NETWORK_RTT_MS",
    "LOGIC_ARRIVAL_RATE",
    "LOGIC_SERVICE_RATE",
    "LOOKUP_MS",
    "LOOKUP_RETRIES",
    "LOOKUP_TIMEOUT_MS",
    "PUSH_ARRIVAL_RATE",
    "PUSH_SERVICE_RATE",
    "SERVICES",
    "draw_relay",
    "relay_graph",
]

FAMILIES = {
    "front-end": "holds phones' connections; speaks the client protocol; authenticates",
    "logic": "routes messages, tracks presence, expands group conversations",
    "service": "stores messages, pushes notifications, looks users up",
}
"""Relay's node families and what each does."""

SERVICES = ("message store", "push gateway", "user directory")
"""The service nodes a logic node calls for each message."""

# Relay's numbers: every page, explorable, check and lab reads them from here.

HOP_MS = {"front-end": 1.0, "logic": 2.0}
"""Fixed time (ms) a message spends in a front-end node and in a logic node."""

NETWORK_RTT_MS = 0.5
"""One network round trip between two nodes in one data centre (ms), as Dean (2009) lists it."""

LOOKUP_MS = LogNormal(mean=5.0, cv=1.0)
"""One user-directory lookup (ms): log-normal, mean 5 ms, as variable as its mean."""

LINK_MS = NETWORK_RTT_MS / 2
"""One-way delay (ms) of a message between two of Relay's nodes: half a round trip."""

LOOKUP_TIMEOUT_MS = 100.0
"""How long a phone waits for the reply to a lookup before it tries again (ms)."""

LOOKUP_RETRIES = 3
"""Further attempts a phone makes after a lookup times out."""

LOGIC_SERVICE_RATE = 100.0
"""Messages per second one logic node routes: about 10 ms of work each."""

LOGIC_ARRIVAL_RATE = 80.0
"""Messages per second the phones send to one logic node in the queues chapter's load test."""

PUSH_SERVICE_RATE = 10.0
"""Requests per second one push-gateway worker serves: 100 ms each on average."""

PUSH_ARRIVAL_RATE = 8.0
"""Requests per second reaching the push gateway in Lab 0's load test."""

_FAMILY_COLOURS = {
    "client": figures.PALETTE["grey"],
    "front-end": figures.PALETTE["blue"],
    "logic": figures.PALETTE["orange"],
    "service": figures.PALETTE["green"],
}


def relay_graph(front_ends: int = 3, logic: int = 2, clients: int = 4):
    """Return Relay's request paths as a directed graph, clients to services.

    Every client connects to one front-end (round-robin), every front-end may call every
    logic node, and every logic node calls each of :data:`SERVICES`. Nodes carry a
    ``"family"`` attribute and a short ``"label"``.

    Parameters
    ----------
    front_ends, logic, clients : int
        How many of each to draw; each at least 1 and at most 12 (it is a diagram).

    Raises
    ------
    ValueError
        If a count is not an int between 1 and 12.

    Examples
    --------
    >>> G = relay_graph(front_ends=2, logic=1, clients=2)
    >>> G.number_of_nodes(), G.number_of_edges()
    (8, 7)
    """
    front_ends = arguments.integer("front_ends", front_ends, low=1, high=12)
    logic = arguments.integer("logic", logic, low=1, high=12)
    clients = arguments.integer("clients", clients, low=1, high=12)
    G = nx.DiGraph()
    fronts = [f"fe{i + 1}" for i in range(front_ends)]
    logics = [f"logic{i + 1}" for i in range(logic)]
    for i in range(clients):
        G.add_node(f"phone{i + 1}", family="client", label="phone")
    G.add_nodes_from(fronts, family="front-end")
    G.add_nodes_from(logics, family="logic")
    G.add_nodes_from(SERVICES, family="service")
    for node in G.nodes:
        G.nodes[node].setdefault("label", node)
    for i in range(clients):
        G.add_edge(f"phone{i + 1}", fronts[i % front_ends])
    G.add_edges_from((f, lg) for f in fronts for lg in logics)
    G.add_edges_from((lg, s) for lg in logics for s in SERVICES)
    return G


def _column_positions(G):
    columns = ["client", "front-end", "logic", "service"]
    pos = {}
    for x, family in enumerate(columns):
        members = [n for n, f in G.nodes(data="family") if f == family]
        for i, node in enumerate(members):
            pos[node] = (x, (len(members) - 1) / 2 - i)
    return pos


def draw_relay(G=None, ax=None):
    """Draw Relay left to right: phones, front-end, logic and service nodes; return the axes.

    Each node is a box sized to its label, so "message store" or "push gateway" always
    fits inside, and each arrow runs from box edge to box edge.
    """
    if G is None:
        G = relay_graph()
    if ax is None:
        ax = figures.new_figure().subplots()
    pos = _column_positions(G)
    boxes = {}
    for node, family in G.nodes(data="family"):
        x, y = pos[node]
        dark = family in ("front-end", "client")
        # White on the blue and the grey, black on the lighter orange and green.
        boxes[node] = ax.text(
            x, y, G.nodes[node]["label"].replace(" ", "\n"), ha="center", va="center",
            color="white" if dark else "black", zorder=3, linespacing=1.1,
            bbox={"boxstyle": "round,pad=0.35" if family != "service" else "square,pad=0.35",
                  "facecolor": _FAMILY_COLOURS[family], "edgecolor": "none"},
        )
    for u, v in G.edges:
        ax.annotate("", xy=pos[v], xytext=pos[u], zorder=4,
                    arrowprops={"arrowstyle": "-|>", "color": figures.PALETTE["grey"],
                                "lw": 1.1, "patchA": boxes[u].get_bbox_patch(),
                                "patchB": boxes[v].get_bbox_patch(),
                                "shrinkA": 1, "shrinkB": 1, "mutation_scale": 14})
    top = max(y for _, y in pos.values()) + 0.8
    for x, family in enumerate(["phones", "front-end", "logic", "service"]):
        ax.text(x, top, family, ha="center", fontweight="bold")
    bottom = min(y for _, y in pos.values()) - 0.6
    ax.set_xlim(-0.5, 3.5)
    ax.set_ylim(bottom, top + 0.5)
    ax.set_axis_off()
    return ax
