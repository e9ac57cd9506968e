"""Placing keys on nodes: exact movement rules, and balance against the Beta prediction."""

import hashlib
import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import reactive_lab as rl

D = rl.distribution
KEYS = [f"user-{i}" for i in range(3000)]
Z_999 = rl.core.normal_quantile(0.999)  # seeds are fixed, so the tests are not flaky


def _names(n, tag="n"):
    return [f"{tag}{j}" for j in range(n)]


def _owner_changes(before, after, keys=KEYS):
    return [
        (old, new)
        for old, new in zip(before.owners(keys), after.owners(keys), strict=True)
        if old != new
    ]


def test_stable_hash_is_md5_prefix_of_the_string():
    """The hash is reproducible anywhere: first 8 bytes of MD5(str(key)), big-endian."""
    digest = hashlib.md5(b"user-42").digest()
    assert D.stable_hash("user-42") == int.from_bytes(digest[:8], "big")
    assert D.stable_hash(42) == D.stable_hash("42")
    assert [int(h) for h in D.key_hashes(["a", 7])] == [D.stable_hash("a"), D.stable_hash(7)]


@pytest.mark.parametrize(
    "placement",
    [
        D.ModuloPlacement(_names(5)),
        D.ConsistentHashRing(_names(5), vnodes=1),
        D.ConsistentHashRing(_names(5), vnodes=32),
        D.FixedPartitions(_names(5)),
        D.FixedPartitions(_names(3), partitions=1),  # one partition: one node holds all
    ],
)
def test_every_placement_shares_one_interface(placement):
    """owner/owners/assign/load_per_node agree; ownership is a distribution over nodes."""
    owners = placement.owners(KEYS)
    assert owners[:50] == [placement.owner(k) for k in KEYS[:50]]
    counts = placement.assign(KEYS)
    assert list(counts) == list(placement.nodes)
    assert counts == {node: owners.count(node) for node in placement.nodes}
    assert list(D.load_per_node(placement, KEYS)) == list(counts.values())
    shares = D.ring_ownership(placement)
    assert sum(shares.values()) == pytest.approx(1.0, abs=1e-12)
    assert all(s >= 0 for s in shares.values())


def test_ring_owner_is_the_next_point_clockwise():
    """Brute force: the owner is the node of the smallest point >= hash, wrapping to the first."""
    ring = D.ConsistentHashRing(_names(4), vnodes=3)
    points = sorted((D.stable_hash(f"{node}#{i}"), node) for node in ring.nodes for i in range(3))
    for key in KEYS[:300]:
        h = D.stable_hash(key)
        expected = next((node for point, node in points if point >= h), points[0][1])
        assert ring.owner(key) == expected


def test_ring_ownership_is_what_keys_see():
    """Each node's share of many keys lies within a binomial CI of its arc length."""
    ring = D.ConsistentHashRing(_names(4), vnodes=2)
    keys = range(20_000)
    counts = ring.assign(keys)
    for node, share in D.ring_ownership(ring).items():
        se = math.sqrt(share * (1 - share) / len(keys))
        assert abs(counts[node] / len(keys) - share) < Z_999 * se


@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 8), vnodes=st.integers(1, 16))
def test_ring_join_moves_keys_only_to_the_newcomer(n, vnodes):
    """Consistent hashing: when a node joins, every key that moves, moves to it."""
    before = D.ConsistentHashRing(_names(n), vnodes)
    after = before.with_node("new")
    assert all(new == "new" for _, new in _owner_changes(before, after, KEYS[:500]))


@settings(max_examples=25, deadline=None)
@given(n=st.integers(2, 8), vnodes=st.integers(1, 16), leaving=st.integers(0, 7))
def test_ring_leave_moves_only_the_leavers_keys(n, vnodes, leaving):
    """Consistent hashing: when a node leaves, only the keys it held move."""
    before = D.ConsistentHashRing(_names(n), vnodes)
    gone = before.nodes[leaving % n]
    after = before.without_node(gone)
    assert all(old == gone for old, _ in _owner_changes(before, after, KEYS[:500]))


@pytest.mark.parametrize("n", [1, 2, 3, 7, 10])
def test_modulo_join_moves_exactly_the_keys_whose_residues_differ(n):
    """Modulo n -> n+1: a key stays iff h mod n == h mod (n+1); about n/(n+1) move."""
    before = D.ModuloPlacement(_names(n))
    moved = D.keys_moved(before, before.with_node("new"), KEYS)
    hashes = [int(hashlib.md5(k.encode()).hexdigest()[:16], 16) for k in KEYS]
    exact = sum(h % n != h % (n + 1) for h in hashes) / len(KEYS)
    assert moved == exact
    p = D.expected_moved_fraction_modulo(n)
    assert abs(moved - p) <= Z_999 * math.sqrt(p * (1 - p) / len(KEYS)) + 1e-12


@pytest.mark.parametrize(("n", "partitions"), [(1, 64), (3, 64), (4, 8), (7, 64), (64, 64)])
def test_fixed_partitions_join_claims_a_balanced_share_and_moves_nothing_else(n, partitions):
    """The newcomer claims partitions // (n+1) partitions; counts end within one of each other."""
    before = D.FixedPartitions(_names(n), partitions)
    after = before.with_node("new")
    changed = [
        (old, new)
        for old, new in zip(before.partition_owners, after.partition_owners, strict=True)
        if old != new
    ]
    assert all(new == "new" for _, new in changed)
    assert len(changed) == partitions // (n + 1)
    assert len(changed) / partitions == D.expected_moved_fraction_fixed(n, partitions)
    counts = [after.partition_owners.count(node) for node in after.nodes]
    assert max(counts) - min(counts) <= 1
    assert all(new == "new" for _, new in _owner_changes(before, after))


@pytest.mark.parametrize("n", [2, 3, 5])
def test_fixed_partitions_leave_moves_only_the_leavers_partitions(n):
    """A leaving node's partitions go to the emptiest nodes; nobody else's move."""
    before = D.FixedPartitions(_names(n)).with_node("extra")
    after = before.without_node("n0")
    for old, new in zip(before.partition_owners, after.partition_owners, strict=True):
        assert old == new or old == "n0"
    counts = [after.partition_owners.count(node) for node in after.nodes]
    assert max(counts) - min(counts) <= 1
    assert all(old == "n0" for old, _ in _owner_changes(before, after))


def test_fixed_partitions_round_robin_start_and_key_to_partition():
    """Partitions are claimed round-robin; a key's partition is the top bits of its hash."""
    p = D.FixedPartitions(["a", "b", "c"], partitions=64)
    assert p.partition_owners[:6] == ("a", "b", "c", "a", "b", "c")
    assert p.partition_of("user-1") == D.stable_hash("user-1") >> 58
    assert p.owner("user-1") == p.partition_owners[p.partition_of("user-1")]


def _ownership_variance(n, vnodes, rings):
    """Per ring, mean squared deviation of the shares from 1/n; shares come from fixed names."""
    stats = []
    for r in range(rings):
        ring = D.ConsistentHashRing(_names(n, f"r{r}-"), vnodes)
        shares = np.array(list(D.ring_ownership(ring).values()))
        stats.append(np.mean((shares - 1 / n) ** 2))
    return np.array(stats)


@pytest.mark.parametrize("vnodes", [1, 4, 16])
def test_ring_share_spread_matches_the_beta_prediction(vnodes):
    """A node's share is Beta(v, (n-1)v): its variance (n-1)/(n^2(nv+1)) lies in the run's CI."""
    n, rings = 8, 400
    stats = _ownership_variance(n, vnodes, rings)
    predicted = (D.ownership_cv(n, vnodes) / n) ** 2
    assert predicted == pytest.approx((n - 1) / (n**2 * (n * vnodes + 1)))
    half_width = Z_999 * stats.std(ddof=1) / math.sqrt(rings)
    assert abs(stats.mean() - predicted) < half_width
    assert math.sqrt(stats.mean()) * n == pytest.approx(D.ownership_cv(n, vnodes), rel=0.15)


def test_mean_imbalance_falls_as_virtual_nodes_grow():
    """More virtual nodes per node, a smaller max/mean share, on average over rings."""
    n, rings = 10, 60
    means = [
        np.mean(
            [
                D.imbalance(D.ring_ownership(D.ConsistentHashRing(_names(n, f"s{r}-"), v)))
                for r in range(rings)
            ]
        )
        for v in (1, 4, 16, 64, 256)
    ]
    assert all(a > b for a, b in itertools.pairwise(means))
    assert means[0] > 2.0 and means[-1] < 1.25


def test_ring_join_moves_about_one_in_n_plus_one_keys():
    """Averaged over joins, the newcomer takes 1/(n+1) of the ring (exact ownership, no keys)."""
    n, joins = 4, 300
    taken = [
        D.ring_ownership(D.ConsistentHashRing(_names(n, f"j{r}-"), 4).with_node("new"))["new"]
        for r in range(joins)
    ]
    # The newcomer's share is Beta(v, nv) in a ring of n + 1 nodes.
    se = D.ownership_cv(n + 1, 4) / (n + 1) / math.sqrt(joins)
    assert abs(np.mean(taken) - D.expected_moved_fraction_consistent(n)) < Z_999 * se


def test_imbalance_is_max_over_mean():
    """1.0 is perfect balance; dicts and arrays both work."""
    assert D.imbalance([5, 5, 5]) == 1.0
    assert D.imbalance({"a": 1, "b": 3}) == 1.5
    assert D.imbalance(np.array([0, 0, 4])) == 3.0


def test_closed_forms_for_moved_fractions():
    """Join from n nodes: consistent 1/(n+1), modulo n/(n+1), fixed floor(P/(n+1))/P."""
    assert D.expected_moved_fraction_consistent(9) == 0.1
    assert D.expected_moved_fraction_modulo(9) == 0.9
    assert D.expected_moved_fraction_fixed(4, 64) == 12 / 64
    assert D.expected_moved_fraction_fixed(64, 64) == 0.0  # a 65th node gets nothing
    assert D.ownership_cv(1, 5) == 0.0


NODES_RULE = "nodes must be a non-empty sequence of distinct names "
AT_LEAST_1 = r"{} must be an int of at least 1 \(got "


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: D.ModuloPlacement([]), NODES_RULE + r"\(got \[\]\)"),
        (lambda: D.ModuloPlacement("abc"), NODES_RULE + r"\(got 'abc'\)"),
        (lambda: D.ConsistentHashRing(["a", "a"]), NODES_RULE + r"\(got \['a', 'a'\]\)"),
        (lambda: D.ConsistentHashRing(["a"], vnodes=0), AT_LEAST_1.format("vnodes")),
        (lambda: D.FixedPartitions(["a"], partitions=48), "partitions must be a power of two"),
        (lambda: D.FixedPartitions(["a"], partitions=0), AT_LEAST_1.format("partitions")),
        (lambda: D.ModuloPlacement(["a"]).with_node("a"), "must not already be a member"),
        (lambda: D.ModuloPlacement(["a", "b"]).without_node("c"), "node must be a member"),
        (lambda: D.FixedPartitions(["a"]).without_node("a"), "at least one node"),
        (lambda: D.key_hashes("abc"), "keys must be a collection"),
        (lambda: D.imbalance([]), "loads must be a non-empty"),
        (lambda: D.imbalance([1, -1]), "non-negative"),
        (lambda: D.imbalance([0, 0]), "not be all zero"),
        (lambda: D.keys_moved(D.ModuloPlacement(["a"]), D.ModuloPlacement(["a"]), []), "keys"),
        (lambda: D.load_per_node({"a": 1}, KEYS), "placement must be a placement"),
        (lambda: D.expected_moved_fraction_modulo(0), AT_LEAST_1.format("n")),
        (lambda: D.expected_moved_fraction_fixed(2, 0), AT_LEAST_1.format("partitions")),
        (lambda: D.ownership_cv(3, 0), AT_LEAST_1.format("vnodes")),
    ],
)
def test_bad_arguments_raise_value_error_naming_the_parameter(call, message):
    """Every bad argument is refused with a ValueError that names it."""
    with pytest.raises(ValueError, match=message):
        call()
