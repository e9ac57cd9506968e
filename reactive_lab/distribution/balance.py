# Taught in chapters/01-distribution/; keep names in sync.
"""How evenly a placement spreads keys, and how many keys move when the cluster changes.

>>> import reactive_lab as rl
>>> before = rl.distribution.ConsistentHashRing(["a", "b", "c"], vnodes=16)
>>> after = before.with_node("d")
>>> moved = rl.distribution.keys_moved(before, after, range(2000))
>>> 0.1 < moved < 0.4  # expected 1/(3+1) = 0.25
True

Measured quantities (:func:`load_per_node`, :func:`imbalance`, :func:`keys_moved`,
:func:`ring_ownership`) sit next to the closed forms the chapter compares them with
(``expected_moved_fraction_*``, :func:`ownership_cv`).
"""

import math
from dataclasses import dataclass

import numpy as np

from reactive_lab.core import arguments
from reactive_lab.distribution.hashing import ConsistentHashRing, Placement, key_hashes

__all__ = [
    "Balance",
    "balance_report",
    "expected_moved_fraction_consistent",
    "expected_moved_fraction_fixed",
    "expected_moved_fraction_modulo",
    "imbalance",
    "keys_moved",
    "load_per_node",
    "ownership_cv",
    "ring_ownership",
]


_PLACEMENT = (
    "a placement from reactive_lab.distribution "
    "(ModuloPlacement, ConsistentHashRing or FixedPartitions)"
)


def load_per_node(placement, keys):
    """Return how many of *keys* each node holds, as an int array in ``placement.nodes`` order.

    Parameters
    ----------
    placement : ModuloPlacement, ConsistentHashRing or FixedPartitions
    keys : iterable
        Any keys; each is hashed with :func:`stable_hash`.

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> import reactive_lab as rl
    >>> rl.distribution.load_per_node(rl.distribution.ModuloPlacement(["a"]), range(5))
    array([5])
    """
    arguments.instance("placement", placement, Placement, _PLACEMENT)
    return np.bincount(placement.node_indices(key_hashes(keys)), minlength=len(placement.nodes))


def imbalance(loads):
    """Return max load over mean load: 1.0 is perfect balance, 2.0 means a node does double.

    The busiest node saturates first, so this ratio is the capacity a cluster wastes: with
    imbalance 1.5, the cluster is full when it runs at 1/1.5 = 67% of its total capacity.

    Parameters
    ----------
    loads : array-like or dict
        Non-negative loads per node (a dict's values are used), not all zero.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If *loads* is empty, negative anywhere, or all zero.

    Examples
    --------
    >>> import reactive_lab as rl
    >>> rl.distribution.imbalance([10, 20, 30])
    1.5
    >>> rl.distribution.imbalance({"a": 0.25, "b": 0.75})
    1.5
    """
    values = np.asarray(list(loads.values()) if isinstance(loads, dict) else loads, dtype=float)
    if values.ndim != 1 or values.size == 0:
        raise ValueError(f"loads must be a non-empty 1-d collection (got {loads!r})")
    if np.any(values < 0) or not np.all(np.isfinite(values)):
        raise ValueError(f"loads must be finite and non-negative (got {loads!r})")
    if values.sum() == 0:
        raise ValueError(f"loads must not be all zero (got {loads!r})")
    return float(values.max() / values.mean())


def keys_moved(before, after, keys):
    """Return the fraction of *keys* whose owner differs between two placements.

    Each moved key is data copied over the network while the cluster changes.

    Parameters
    ----------
    before, after : placements
    keys : iterable
        At least one key.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If *keys* is empty or an argument is not a placement.

    Examples
    --------
    >>> import reactive_lab as rl
    >>> p = rl.distribution.ModuloPlacement(["a", "b", "c"])
    >>> rl.distribution.keys_moved(p, p.with_node("d"), range(4000))  # expected 3/4
    0.744
    """
    arguments.instance("before", before, Placement, _PLACEMENT)
    arguments.instance("after", after, Placement, _PLACEMENT)
    hashes = key_hashes(keys)
    if hashes.size == 0:
        raise ValueError("keys must contain at least one key, got none")
    old = np.asarray(before.nodes, dtype=object)[before.node_indices(hashes)]
    new = np.asarray(after.nodes, dtype=object)[after.node_indices(hashes)]
    return float(np.mean(old != new))


def ring_ownership(placement):
    """Return ``{node: fraction of the hash space it owns}``, exactly, without sampling keys.

    For a consistent-hash ring this sums each node's arcs; for fixed partitions it counts
    partitions. Feed it to :func:`imbalance` for the exact imbalance of the ring.

    Examples
    --------
    >>> import reactive_lab as rl
    >>> shares = rl.distribution.ring_ownership(rl.distribution.FixedPartitions(["a", "b", "c"], 8))
    >>> shares, rl.distribution.imbalance(shares)
    ({'a': 0.375, 'b': 0.375, 'c': 0.25}, 1.125)
    """
    arguments.instance("placement", placement, Placement, _PLACEMENT)
    return placement.ownership()


def expected_moved_fraction_consistent(n):
    """Return 1/(n+1): the expected fraction of keys that move when a ring grows from n nodes.

    The newcomer takes, on average, its fair share 1/(n+1) of the ring, and only those keys
    move. (Any one join may move more or less: the newcomer's share is random.)

    Examples
    --------
    >>> import reactive_lab as rl
    >>> rl.distribution.expected_moved_fraction_consistent(3)
    0.25
    """
    n = arguments.integer("n", n, low=1)
    return 1 / (n + 1)


def expected_moved_fraction_modulo(n):
    """Return n/(n+1): the fraction of keys that move when modulo placement grows from n nodes.

    A key with hash h stays iff ``h mod n == h mod (n+1)``, which over each block of
    n(n+1) consecutive hashes happens for exactly n of them: so 1/(n+1) stay.

    Examples
    --------
    >>> import reactive_lab as rl
    >>> rl.distribution.expected_moved_fraction_modulo(3)
    0.75
    """
    n = arguments.integer("n", n, low=1)
    return n / (n + 1)


def expected_moved_fraction_fixed(n, partitions=64):
    """Return ``(partitions // (n+1)) / partitions``: the share of the ring a joining node claims.

    Exact for :class:`FixedPartitions`: the newcomer claims that many partitions.

    Examples
    --------
    >>> import reactive_lab as rl
    >>> rl.distribution.expected_moved_fraction_fixed(3)  # 16 of 64 partitions
    0.25
    """
    n = arguments.integer("n", n, low=1)
    partitions = arguments.integer("partitions", partitions, low=1)
    return (partitions // (n + 1)) / partitions


def ownership_cv(n, vnodes):
    """Return ``sqrt((n-1)/(n*vnodes + 1))``: the spread of one node's share of a random ring.

    Put n·v points uniformly at random on a circle. The arcs between them are exchangeable,
    and a node's share is the sum of v of them, which is Beta(v, (n-1)v) distributed: mean
    1/n, variance (n-1)/(n²(nv+1)). Its standard deviation over its mean, the coefficient
    of variation, is the formula above, close to ``1/sqrt(v)`` for a large cluster: 100
    virtual nodes per node still leave shares about 10% apart.

    Parameters
    ----------
    n : int
        Nodes on the ring, at least 1.
    vnodes : int
        Virtual nodes per node, at least 1.

    Examples
    --------
    >>> import reactive_lab as rl
    >>> round(rl.distribution.ownership_cv(10, 100), 4)
    0.0948
    """
    n = arguments.integer("n", n, low=1)
    vnodes = arguments.integer("vnodes", vnodes, low=1)
    return math.sqrt((n - 1) / (n * vnodes + 1))


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
    """Return the exact shares of an n-node ring with *vnodes* points each, and a join's cost.

    Examples
    --------
    >>> import reactive_lab as rl
    >>> b = rl.distribution.balance_report(4, 64)
    >>> round(float(b.shares.sum()), 9), b.imbalance < 1.5
    (1.0, True)
    """
    names = [f"store{i + 1}" for i in range(nodes)]
    ring = ConsistentHashRing(names, vnodes=vnodes)
    shares = np.array(list(ring_ownership(ring).values()))
    grown = ring.with_node(f"store{nodes + 1}")
    return Balance(
        nodes=nodes,
        vnodes=vnodes,
        shares=shares,
        imbalance=imbalance(shares),
        cv=float(shares.std() / shares.mean()),
        cv_theory=ownership_cv(nodes, vnodes),
        # Only the newcomer's arcs change owner, so its share is exactly what moves.
        moved=ring_ownership(grown)[f"store{nodes + 1}"],
    )
