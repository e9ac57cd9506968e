# Taught in chapters/01-distribution/; keep names in sync.
"""Placing keys on nodes: modulo placement, consistent hashing, fixed partitions.

Picture a user id arriving at a sharded service: some rule must name the one node that
holds that user's state, every front-end must apply the same rule, and when a node joins or
leaves as few users as possible should have to move.

>>> import reactive_lab as rl
>>> ring = rl.distribution.ConsistentHashRing(["a", "b", "c"], vnodes=8)
>>> ring.owner("user-42") in ring.nodes
True

All three placements share one interface: ``.nodes``, ``.owner(key)``, ``.owners(keys)``,
``.assign(keys)`` (node → count), ``.ownership()`` (node → fraction of the hash space),
and ``.with_node(node)`` / ``.without_node(node)``, which return a *new* placement.

Keys are hashed with :func:`stable_hash` (MD5 of ``str(key)``), never Python's ``hash()``,
which is salted per process: two front-ends must agree on where a key lives.
"""

import hashlib

import numpy as np

from reactive_lab.core import arguments

__all__ = [
    "HASH_SPACE",
    "ConsistentHashRing",
    "FixedPartitions",
    "ModuloPlacement",
    "Placement",
    "key_hashes",
    "stable_hash",
]

HASH_SPACE = 2**64
"""Size of the hash space: hashes are ints in ``[0, 2**64)``."""


def stable_hash(key):
    """Return a 64-bit int hash of ``str(key)`` that is the same in every process.

    The first 8 bytes of the MD5 digest, big-endian. ``1`` and ``"1"`` hash alike.

    Examples
    --------
    >>> import reactive_lab as rl
    >>> rl.distribution.stable_hash("user-42") == rl.distribution.stable_hash("user-42")
    True
    >>> 0 <= rl.distribution.stable_hash(7) < rl.distribution.HASH_SPACE
    True
    """
    return int.from_bytes(hashlib.md5(str(key).encode()).digest()[:8], "big")


def key_hashes(keys):
    """Return the :func:`stable_hash` of every key, as a ``uint64`` array.

    Examples
    --------
    >>> import reactive_lab as rl
    >>> h = rl.distribution.key_hashes(["a", "b"])
    >>> h.dtype.name, int(h[0]) == rl.distribution.stable_hash("a")
    ('uint64', True)
    """
    if isinstance(keys, str | bytes) or not hasattr(keys, "__iter__"):
        raise ValueError(f"keys must be a collection of keys (not one string) (got {keys!r})")
    digests = b"".join(hashlib.md5(str(k).encode()).digest()[:8] for k in keys)
    return np.frombuffer(digests, dtype=">u8").astype(np.uint64)


class Placement:
    """What every placement offers: the owner of a key, of many keys, and the load per node.

    Subclasses implement ``node_indices(hashes)``, the index into :attr:`nodes` of the owner
    of each 64-bit key hash, and ``ownership()``.
    """

    nodes: tuple

    def owner(self, key):
        """Return the node that holds *key*."""
        return self.nodes[int(self.node_indices(key_hashes([key]))[0])]

    def owners(self, keys):
        """Return the owning node of every key in *keys*, as a list."""
        return [self.nodes[i] for i in self.node_indices(key_hashes(keys))]

    def assign(self, keys):
        """Return ``{node: number of keys it holds}``, zero counts included, in node order."""
        counts = np.bincount(self.node_indices(key_hashes(keys)), minlength=len(self.nodes))
        return {node: int(c) for node, c in zip(self.nodes, counts, strict=True)}

    def _added(self, node):
        if node in self.nodes:
            raise ValueError(f"node must not already be a member (got {node!r})")
        return self.nodes + (node,)

    def _removed(self, node):
        if node not in self.nodes:
            raise ValueError(f"node must be a member (got {node!r})")
        if len(self.nodes) == 1:
            raise ValueError(f"cannot remove {node!r}: a placement needs at least one node")
        return tuple(n for n in self.nodes if n != node)


class ModuloPlacement(Placement):
    """Key goes to ``nodes[hash(key) mod n]``: simple, balanced, and reshuffled by any change.

    Going from n to n + 1 nodes, a key stays put only if ``h mod n == h mod (n + 1)``,
    i.e. ``h mod n(n+1) < n``: a fraction 1/(n+1) of keys stays and n/(n+1) moves.

    Parameters
    ----------
    nodes : sequence of hashable
        Distinct node names, at least one.

    Raises
    ------
    ValueError
        If *nodes* is empty, a string, or has duplicates.

    Examples
    --------
    >>> import reactive_lab as rl
    >>> p = rl.distribution.ModuloPlacement(["a", "b"])
    >>> sum(p.assign(range(1000)).values())
    1000
    """

    def __init__(self, nodes):
        self.nodes = arguments.distinct_names("nodes", nodes)

    def node_indices(self, hashes):
        return (hashes % np.uint64(len(self.nodes))).astype(np.intp)

    def ownership(self):
        """Return ``{node: exact fraction of the hash space}`` (1/n up to rounding)."""
        n = len(self.nodes)
        # Hashes h in [0, 2**64) with h mod n == i: slightly more for small i.
        counts = [(HASH_SPACE - i - 1) // n + 1 for i in range(n)]
        return {node: c / HASH_SPACE for node, c in zip(self.nodes, counts, strict=True)}

    def with_node(self, node):
        """Return a new placement with *node* appended."""
        return ModuloPlacement(self._added(node))

    def without_node(self, node):
        """Return a new placement without *node* (the others keep their order)."""
        return ModuloPlacement(self._removed(node))

    def __repr__(self):
        return f"ModuloPlacement({list(self.nodes)!r})"


class ConsistentHashRing(Placement):
    """Nodes and keys hashed onto one circle; a key goes to the next node point clockwise.

    Each node is placed at *vnodes* points (virtual nodes), hashing ``f"{node}#{i}"``. The
    arc ending at a point belongs to that point's node, so a node's share of keys is the sum
    of its arcs. With one point per node the arcs are very uneven; with v points per node a
    node's share follows Beta(v, (n-1)v), whose coefficient of variation is
    ``sqrt((n-1)/(n*v + 1))`` (see :func:`ownership_cv`). A joining node takes keys only
    from its clockwise neighbours; a leaving node hands its keys to them; nobody else moves.

    Parameters
    ----------
    nodes : sequence of hashable
        Distinct node names, at least one.
    vnodes : int, default 1
        Points on the ring per node, at least 1.

    Raises
    ------
    ValueError
        If *nodes* is empty or has duplicates, or *vnodes* is not an int >= 1.

    Examples
    --------
    >>> import reactive_lab as rl
    >>> ring = rl.distribution.ConsistentHashRing(["a", "b", "c", "d"], vnodes=64)
    >>> round(sum(ring.ownership().values()), 12)
    1.0
    """

    def __init__(self, nodes, vnodes=1):
        self.nodes = arguments.distinct_names("nodes", nodes)
        self.vnodes = arguments.integer("vnodes", vnodes, low=1)
        labels = [f"{node}#{i}" for node in self.nodes for i in range(self.vnodes)]
        points = key_hashes(labels)
        order = np.argsort(points, kind="stable")
        self.points = points[order]
        """Sorted ring positions of all virtual nodes (``uint64``)."""
        self.point_owners = np.repeat(np.arange(len(self.nodes)), self.vnodes)[order]
        """Index into :attr:`nodes` of the node owning each point."""

    def node_indices(self, hashes):
        slot = np.searchsorted(self.points, hashes, side="left")
        slot[slot == len(self.points)] = 0  # past the last point: wrap round to the first
        return self.point_owners[slot]

    def ownership(self):
        """Return ``{node: fraction of the hash space it owns}``; the fractions sum to 1."""
        if len(self.points) == 1:
            return {self.nodes[0]: 1.0}
        arcs = self.points - np.roll(self.points, 1)  # uint64 wraps: first arc crosses zero
        shares = np.bincount(
            self.point_owners, weights=arcs.astype(float) / HASH_SPACE, minlength=len(self.nodes)
        )
        return {node: float(s) for node, s in zip(self.nodes, shares, strict=True)}

    def with_node(self, node):
        """Return a new ring with *node* added at *vnodes* points."""
        return ConsistentHashRing(self._added(node), self.vnodes)

    def without_node(self, node):
        """Return a new ring with *node*'s points removed."""
        return ConsistentHashRing(self._removed(node), self.vnodes)

    def __repr__(self):
        return f"ConsistentHashRing({list(self.nodes)!r}, vnodes={self.vnodes})"


class FixedPartitions(Placement):
    """riak_core style: the hash space cut into equal partitions, each claimed by one node.

    The ring has *partitions* equal slices (64 by default, always a power of two); a key
    goes to the slice its hash falls in, and the slice's owner holds it. At creation the
    nodes claim partitions round-robin. A joining node claims ``partitions // (n + 1)``
    partitions, one at a time from whichever node holds the most, so the counts stay within
    one of each other and only the claimed partitions move. A leaving node's partitions go
    one at a time to whichever remaining node holds the fewest. A node beyond the
    *partitions*-th owns nothing: the ring size caps the cluster.

    Parameters
    ----------
    nodes : sequence of hashable
        Distinct node names, at least one.
    partitions : int, default 64
        A power of two.

    Raises
    ------
    ValueError
        If *nodes* is empty or has duplicates, or *partitions* is not a power of two.

    Examples
    --------
    >>> import reactive_lab as rl
    >>> p = rl.distribution.FixedPartitions(["a", "b", "c"], partitions=8)
    >>> p.partition_owners
    ('a', 'b', 'c', 'a', 'b', 'c', 'a', 'b')
    >>> p.with_node("d").partition_owners
    ('a', 'b', 'c', 'a', 'b', 'c', 'd', 'd')
    """

    def __init__(self, nodes, partitions=64):
        self.nodes = arguments.distinct_names("nodes", nodes)
        partitions = arguments.integer("partitions", partitions, low=1)
        if partitions & (partitions - 1):
            raise ValueError(f"partitions must be a power of two (got {partitions!r})")
        self.partitions = partitions
        self._claims = np.arange(partitions) % len(self.nodes)

    @classmethod
    def _from_claims(cls, nodes, claims):
        placement = cls.__new__(cls)
        placement.nodes, placement.partitions, placement._claims = nodes, len(claims), claims
        return placement

    @property
    def partition_owners(self):
        """The owning node of each partition, in partition order."""
        return tuple(self.nodes[i] for i in self._claims)

    def partition_of(self, key):
        """Return the index of the partition *key* hashes into."""
        return int(self._partition_indices(key_hashes([key]))[0])

    def _partition_indices(self, hashes):
        bits = self.partitions.bit_length() - 1
        if bits == 0:
            return np.zeros(len(hashes), dtype=np.intp)
        return (hashes >> np.uint64(64 - bits)).astype(np.intp)

    def node_indices(self, hashes):
        return self._claims[self._partition_indices(hashes)]

    def ownership(self):
        """Return ``{node: partitions owned / partitions}``."""
        counts = np.bincount(self._claims, minlength=len(self.nodes))
        return {node: int(c) / self.partitions for node, c in zip(self.nodes, counts, strict=True)}

    def with_node(self, node):
        """Return a new placement where *node* has claimed ``partitions // (n + 1)`` partitions."""
        nodes = self._added(node)
        claims = self._claims.copy()
        newcomer = len(nodes) - 1
        for _ in range(self.partitions // len(nodes)):
            counts = np.bincount(claims, minlength=len(nodes))
            donor = int(np.argmax(counts))  # the first of the fullest nodes
            claims[np.flatnonzero(claims == donor)[-1]] = newcomer
        return FixedPartitions._from_claims(nodes, claims)

    def without_node(self, node):
        """Return a new placement where *node*'s partitions went to the emptiest nodes."""
        nodes = self._removed(node)
        leaving = self.nodes.index(node)
        claims = self._claims.copy()
        for partition in np.flatnonzero(claims == leaving):
            counts = np.bincount(claims[claims != leaving], minlength=len(self.nodes))
            counts[leaving] = self.partitions + 1  # never hand a partition back to the leaver
            claims[partition] = int(np.argmin(counts))
        claims = claims - (claims > leaving)  # close the gap the leaver left in the indices
        return FixedPartitions._from_claims(nodes, claims)

    def __repr__(self):
        return f"FixedPartitions({list(self.nodes)!r}, partitions={self.partitions})"
