"""The network between nodes: per-link latency, loss, duplication, reordering, partitions.

Two processes on one node talk through memory: no delay, nothing lost. Between nodes a
message crosses a *link*, which delays it (a draw from the link's latency distribution)
and may lose it, deliver it twice or let it overtake messages sent before it. Without
reordering a link is FIFO, as Erlang guarantees between two processes: a message never
arrives before one sent earlier on the same link. A *partition* cuts two groups of nodes
apart for a while: messages between them vanish, with no error to the sender, as in
Erlang; so do messages to a crashed process.

>>> from reactive_lab.core import Deterministic
>>> from reactive_lab.core.sim import Simulation
>>> sim = Simulation(seed=1, latency=Deterministic(0.5), loss=0.2)
>>> link = sim.network.connect("a", "b", loss=0.0)
>>> link.loss, sim.network.link("b", "c").loss
(0.0, 0.2)
"""

# Taught in chapters/00-queues/messages.md; keep names in sync.

from __future__ import annotations

from reactive_lab.core import arguments

__all__ = ["Link", "Network", "Partition"]



class Link:
    """One direction between two nodes, with its own latency and fault probabilities."""

    __slots__ = ("latency", "loss", "duplicate", "reorder", "_delay", "_coin", "_last")

    def __init__(self, seeds, latency, loss, duplicate, reorder):
        if latency is not None:
            arguments.sampler("latency", latency)
        self.latency = latency
        self.loss = arguments.probability("loss", loss)
        self.duplicate = arguments.probability("duplicate", duplicate)
        self.reorder = arguments.probability("reorder", reorder)
        self._delay = seeds.draws(latency) if latency is not None else None
        self._coin = seeds.uniforms()
        self._last = 0.0  # latest arrival scheduled, to keep the link FIFO

    def delay(self, now: float) -> float:
        """Return this message's delay, keeping FIFO order unless it is reordered."""
        delay = self._delay() if self._delay is not None else 0.0
        if self.reorder and self._coin() < self.reorder:
            # Free to overtake and be overtaken: one extra delay, no FIFO constraint.
            return delay + (self._delay() if self._delay is not None else 0.0)
        arrival = now + delay
        if arrival < self._last:
            arrival = self._last
        self._last = arrival
        return arrival - now

    def loses(self) -> bool:
        """Flip the loss coin."""
        return self.loss > 0 and self._coin() < self.loss

    def duplicates(self) -> bool:
        """Flip the duplication coin."""
        return self.duplicate > 0 and self._coin() < self.duplicate


class Partition:
    """Nodes in *side_a* cannot reach nodes in *side_b* from *start* until *end*."""

    __slots__ = ("side_a", "side_b", "start", "end")

    def __init__(self, side_a, side_b, start, end):
        self.side_a, self.side_b, self.start, self.end = side_a, side_b, start, end

    def cuts(self, a: str, b: str, now: float) -> bool:
        """Return True if the partition separates nodes *a* and *b* at time *now*."""
        if not self.start <= now < self.end:
            return False
        if self.side_b is None:  # one side against everyone else
            return (a in self.side_a) != (b in self.side_a)
        return ((a in self.side_a and b in self.side_b)
                or (a in self.side_b and b in self.side_a))


class Network:
    """Every link of a run, the default for links not set, and the partition schedule.

    Parameters
    ----------
    sim : Simulation
        The run it belongs to.
    latency, loss, duplicate, reorder
        Defaults for every link between two nodes, as in :class:`Simulation`.
    """

    def __init__(self, sim, *, latency=None, loss=0.0, duplicate=0.0, reorder=0.0):
        self.sim = sim
        self.default = {"latency": latency, "loss": loss, "duplicate": duplicate,
                        "reorder": reorder}
        Link(sim.seeds, **self.default)  # check the defaults now, not at the first message
        self.links: dict[tuple[str, str], Link] = {}
        self.partitions: list[Partition] = []

    def connect(self, a: str, b: str, *, both_ways: bool = True, **settings) -> Link:
        """Set the link from node *a* to node *b* (and back): latency and fault odds.

        Settings not given keep the network's defaults. Returns the *a* → *b* link.

        >>> from reactive_lab.core.sim import Simulation
        >>> Simulation().network.connect("x", "y", duplicate=0.1).duplicate
        0.1
        """
        unknown = set(settings) - set(self.default)
        if unknown:
            raise ValueError(f"settings must be among latency, loss, duplicate, reorder "
                             f"(got {sorted(unknown)})")
        if a == b:
            raise ValueError(f"b must be a node other than a (got {b!r} twice): "
                             "processes on one node need no link")
        values = {**self.default, **settings}
        self.links[(a, b)] = Link(self.sim.seeds, **values)
        if both_ways:
            self.links[(b, a)] = Link(self.sim.seeds, **values)
        return self.links[(a, b)]

    def link(self, a: str, b: str) -> Link:
        """Return the link from node *a* to node *b*, made from the defaults if unset.

        >>> from reactive_lab.core.sim import Simulation
        >>> Simulation(loss=0.1).network.link("x", "y").loss
        0.1
        """
        link = self.links.get((a, b))
        if link is None:
            link = self.links[(a, b)] = Link(self.sim.seeds, **self.default)
        return link

    def partition(self, side_a, side_b=None, *, start: float, end: float) -> Partition:
        """Cut nodes *side_a* off from *side_b* (default: all others) from *start* to *end*.

        >>> from reactive_lab.core.sim import Simulation
        >>> p = Simulation().network.partition(["n1"], start=1.0, end=2.0)
        >>> p.cuts("n1", "n2", 1.5), p.cuts("n1", "n2", 2.0)
        (True, False)
        """
        side_a = frozenset(arguments.distinct_names("side_a", side_a))
        side_b = None if side_b is None else frozenset(arguments.distinct_names("side_b",
                                                                                side_b))
        start = arguments.real("start", start, low=0)
        end = arguments.real("end", end, low=start, low_open=True)
        partition = Partition(side_a, side_b, start, end)
        self.partitions.append(partition)
        self.sim.after(start, lambda _: self.sim.note("partition", detail=_sides(partition)))
        self.sim.after(end, lambda _: self.sim.note("heal", detail=_sides(partition)))
        return partition

    def cut(self, a: str, b: str) -> bool:
        """Return True if a partition separates nodes *a* and *b* now.

        >>> from reactive_lab.core.sim import Simulation
        >>> sim = Simulation()
        >>> _ = sim.network.partition(["x"], start=0.0, end=1.0)
        >>> sim.network.cut("x", "y"), sim.network.cut("y", "z")
        (True, False)
        """
        now = self.sim.env.now
        return any(p.cuts(a, b, now) for p in self.partitions)

    def heal(self) -> None:
        """From now on: end every partition and stop losing, duplicating or reordering.

        >>> from reactive_lab.core.sim import Simulation
        >>> sim = Simulation(loss=0.5)
        >>> sim.network.heal()
        >>> sim.network.link("x", "y").loss
        0.0
        """
        now = self.sim.env.now
        for partition in self.partitions:
            partition.end = min(partition.end, now)
        for link in self.links.values():
            link.loss = link.duplicate = link.reorder = 0.0
        self.default.update(loss=0.0, duplicate=0.0, reorder=0.0)

    # -- the path of one message ------------------------------------------------------

    def send(self, message, source_node: str, target) -> None:
        """Carry *message* from *source_node* towards the endpoint *target*."""
        sim = self.sim
        stats = sim.stats
        stats.sent += 1
        if sim.trace is not None:
            sim.note("send", message)
        target_node = target.node
        if target_node == source_node:
            stats.in_flight += 1
            sim.after(0.0, self.arrive, (message, target))
            return
        if self.partitions and self.cut(source_node, target_node):
            stats.dropped_unreachable += 1
            sim.blame("dropped", message)
            sim.note("drop", message, "unreachable")
            return
        link = self.link(source_node, target_node)
        if link.loses():
            stats.lost += 1
            sim.blame("lost", message)
            sim.note("lose", message)
            return
        now = sim.env.now
        stats.in_flight += 1
        sim.after(link.delay(now), self.arrive, (message, target))
        if link.duplicates():
            stats.duplicated += 1
            sim.blame("duplicated", message)
            stats.in_flight += 1
            sim.note("duplicate", message)
            sim.after(link.delay(now), self.arrive, (message, target))

    def arrive(self, event) -> None:
        """Hand a message that reached its node to its endpoint (or drop it)."""
        message, target = event.value
        self.sim.stats.in_flight -= 1
        if self.partitions and self.cut(self.sim.endpoint(message.sender).node, target.node):
            self.sim.stats.dropped_unreachable += 1
            self.sim.blame("dropped", message)
            self.sim.note("drop", message, "unreachable")
            return
        target.receive(message)


def _sides(partition: Partition) -> str:
    a = ", ".join(sorted(partition.side_a))
    b = "everyone else" if partition.side_b is None else ", ".join(sorted(partition.side_b))
    return f"{a} | {b}"
