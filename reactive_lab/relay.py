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

LOOKUP_MS = LogNormal(mean=5.0, cv=1.0)
"""One user-directory lookup (ms): log-normal, mean 5 ms, as variable as its mean."""

LINK_MS = 0.5
"""One-way delay (ms) of a message between two of Relay's nodes in one data centre."""

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
    """Draw Relay left to right: phones, front-end, logic and service nodes; return the axes."""
    if G is None:
        G = relay_graph()
    if ax is None:
        ax = figures.new_figure().subplots()
    pos = _column_positions(G)
    nx.draw_networkx_edges(G, pos, ax=ax, edge_color=figures.PALETTE["grey"], arrows=True,
                           arrowsize=10, node_size=900, width=1.2)
    for family, colour in _FAMILY_COLOURS.items():
        nodes = [n for n, f in G.nodes(data="family") if f == family]
        nx.draw_networkx_nodes(G, pos, nodelist=nodes, ax=ax, node_color=colour,
                               node_size=900, node_shape="s" if family == "service" else "o")
    for family in _FAMILY_COLOURS:
        labels = {n: G.nodes[n]["label"].replace(" ", "\n")
                  for n, f in G.nodes(data="family") if f == family}
        # White on the dark blue, black on the lighter colours: both read at 7 pt.
        nx.draw_networkx_labels(G, pos, labels, ax=ax, font_size=7,
                                font_color="white" if family == "front-end" else "black")
    top = max(y for _, y in pos.values()) + 0.8
    for x, family in enumerate(["phones", "front-end", "logic", "service"]):
        ax.text(x, top, family, ha="center", fontsize=10, fontweight="bold")
    bottom = min(y for _, y in pos.values()) - 0.6
    ax.set_xlim(-0.5, 3.5)
    ax.set_ylim(bottom, top + 0.5)
    ax.set_axis_off()
    return ax
