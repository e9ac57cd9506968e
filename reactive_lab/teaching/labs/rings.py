"""Lab 1's consistent-hash ring probes, and the classic slips its hints recognise.

The checks of exercises 3 and 4 (:mod:`~reactive_lab.teaching.labs.lab01_distribution`)
compare a learner's ring with :class:`reactive_lab.distribution.ConsistentHashRing`; when
they differ, the rings built here by the rules of a known slip (counter-clockwise, points
numbered from 1, another label, one point per node, arcs after the point) tell which slip
it was.

>>> nodes, keys = names("store", 3), probe_keys(1, 200)
>>> ring = dist.ConsistentHashRing(nodes, vnodes=4)
>>> owners_by_rule(nodes, 4, keys, label=lambda node, i: f"{node}#{i}") == ring.owners(keys)
True
"""

from __future__ import annotations

import numpy as np

from reactive_lab import distribution as dist

__all__ = ["RING_MISTAKES", "names", "owners_by_rule", "probe_keys", "shares_after",
           "with_wrap_round"]


def names(prefix: str, count: int) -> list[str]:
    """Return ``count`` node names ``prefix1``, ``prefix2``, ..."""
    return [f"{prefix}{i + 1}" for i in range(count)]


def probe_keys(seed: int, count: int) -> list[str]:
    """Return ``count`` user keys drawn with ``seed``: keys no lab printout shows."""
    generator = np.random.default_rng(seed)
    return [f"member-{int(x)}" for x in generator.integers(0, 10**9, count)]


def with_wrap_round(nodes, vnodes, keys, at_least: int = 3) -> list[str]:
    """Return ``keys`` plus keys hashing past the ring's last point, ``at_least`` of them.

    Keys past the last point wrap round to the first: the slip learners make most often,
    so every probe of a ring includes some.

    >>> nodes = names("dir-", 5)
    >>> last = int(dist.ConsistentHashRing(nodes, vnodes=1).points[-1])
    >>> sum(dist.stable_hash(k) > last for k in with_wrap_round(nodes, 1, [])) >= 3
    True
    """
    last = int(dist.ConsistentHashRing(nodes, vnodes=vnodes).points[-1])
    keys = list(keys)
    past = sum(dist.stable_hash(key) > last for key in keys)
    counter = 0
    while past < at_least:
        key = f"member-wrap-{counter}"
        counter += 1
        if dist.stable_hash(key) > last:
            keys.append(key)
            past += 1
    return keys


def owners_by_rule(nodes, vnodes, keys, label, clockwise=True, wrap=True):
    """Return the owners of ``keys`` on a ring built with another labelling or rule.

    ``label(node, i)`` names a node's ``i``-th point; ``clockwise=False`` takes the point
    before the key; ``wrap=False`` leaves keys past the last point without an owner (None).
    """
    points = sorted((dist.stable_hash(label(node, i)), node)
                    for node in nodes for i in range(vnodes))
    positions = [p for p, _ in points]
    owners = []
    for key in keys:
        h = dist.stable_hash(key)
        if clockwise:
            slot = int(np.searchsorted(positions, h, side="left"))
            if slot == len(points):
                owners.append(points[0][1] if wrap else None)
                continue
        else:
            slot = int(np.searchsorted(positions, h, side="right")) - 1
            if slot < 0:
                owners.append(points[-1][1] if wrap else None)
                continue
        owners.append(points[slot][1])
    return owners


RING_MISTAKES = [
    (dict(clockwise=False),
     "you take the point *before* the key (counter-clockwise); a key belongs to the first "
     "point at or after its hash, going clockwise."),
    (dict(label=lambda node, i: f"{node}#{i + 1}"),
     "the virtual nodes are numbered from 0: f\"{node}#{i}\" for i in range(vnodes)."),
    (dict(label=lambda node, i: f"{node}-{i}"),
     "label the points exactly f\"{node}#{i}\" (with a #), or your ring differs from "
     "everyone else's."),
    (dict(label=lambda node, i: f"{node}{i}"),
     "label the points exactly f\"{node}#{i}\" (with a #), or your ring differs from "
     "everyone else's."),
    (dict(label=lambda node, i: f"{node}#{i}", vnodes=1),
     "you place one point per node; place `vnodes` points per node, "
     "f\"{node}#0\" to f\"{node}#{vnodes - 1}\"."),
    (dict(label=lambda node, i: node, vnodes=1),
     "hash the virtual-node labels f\"{node}#{i}\", not the bare node name, and place "
     "`vnodes` of them per node."),
]
"""``(how the ring was built differently, hint)`` for each classic slip in ``ring_owner``."""


def shares_after(nodes, vnodes) -> dict:
    """Each node's share if a point owned the arc *after* it (a classic slip, for hints)."""
    points = sorted((dist.stable_hash(f"{node}#{i}"), node)
                    for node in nodes for i in range(vnodes))
    shares = dict.fromkeys(nodes, 0)
    for index, (position, node) in enumerate(points):
        following = points[(index + 1) % len(points)][0]
        shares[node] += (following - position) % dist.HASH_SPACE
    return {node: s / dist.HASH_SPACE for node, s in shares.items()}
