"""Checks for Lab 1, Distribution: mesh costs, a consistent-hash ring, keys moved, fan-out.

The lab's setup cell does ``from reactive_lab.teaching.labs import lab01_distribution as
check``; after each exercise a cell calls ``check.exercise_N(the_learners_function)``. Every
exercise asks for a function, and each check probes it on inputs of its own (other cluster
sizes, other node names, other keys, other latency distributions), comparing with
:mod:`reactive_lab.distribution`, so the lab and the book agree and a number copied from
the lab's printout cannot pass. The ring probes and slips are in
:mod:`~reactive_lab.teaching.labs.rings`, the exact fan-out maths of exercise 6 in
:mod:`~reactive_lab.teaching.labs.fanout`.

>>> result = exercise_1(lambda n: n * (n - 1) // 2)
Exercise 1 (full-mesh connections): 2/2 - pass
  + full_mesh_connections matches n(n-1)/2 for 5 fresh cluster sizes, 1 node included.
"""

# Taught in solutions/01-distribution.ipynb; keep names in sync.

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from reactive_lab import core, relay
from reactive_lab import distribution as dist
from reactive_lab.teaching.checking import NOT_DONE, agrees, attempt, call, describe, exercise
from reactive_lab.teaching.labs.fanout import FIXED_MS, p99_band, request_cdf, request_quantile
from reactive_lab.teaching.labs.rings import (
    RING_MISTAKES,
    names,
    owners_by_rule,
    probe_keys,
    shares_after,
    with_wrap_round,
)
from reactive_lab.teaching.probes import placement_builder

__all__ = ["exercise_1", "exercise_2", "exercise_3", "exercise_4", "exercise_5",
           "exercise_6"]

_NUMBERS = (int, float, np.integer, np.floating)



# --- Exercises 1 and 2: what a full mesh costs ---------------------------------------------

def _connections(n: int) -> int:
    return dist.connection_count(dist.full_mesh(n))


@exercise(1, "full-mesh connections", uses=("full_mesh_connections",), max_score=2)
def exercise_1(fb, full_mesh_connections):
    """Connections in a full mesh of n nodes: n(n-1)/2, as rl.distribution counts them."""
    function = fb.function(full_mesh_connections, "full_mesh_connections", arity=1)
    sizes = [int(n) for n in fb.rng.integers(3, 300, 3)] + [2, 1]
    for n in sizes:
        shown = f"full_mesh_connections({n})"
        value = fb.number(call(fb, function, n), shown)
        expected = _connections(n)
        if agrees(value, expected):
            continue
        fb.off(f"{shown} returned {value:g}; expected {expected}.")
        fb.hint_from(value, [
            (n * (n - 1), "n(n-1) counts every connection twice, once from each end: "
                          "a connection has two ends, so halve it."),
            (n * n, "a node does not connect to itself, and a connection has two ends."),
            (n * n / 2, "a node does not connect to itself: each talks to n-1 others."),
            (n * (n + 1) / 2, "off by one: each node talks to the n-1 others, not n."),
            (n - 1, "that is one node's connections; the mesh has one for every pair."),
        ], "every pair of nodes shares one connection: count the pairs among n nodes.",
            same=agrees)
        fb.stop()
    fb.right(f"full_mesh_connections matches n(n-1)/2 for {len(sizes)} fresh cluster "
             "sizes, 1 node included.")
    return 2


def _ticks(n: int, net_ticktime_s: float) -> float:
    interval = net_ticktime_s / dist.TICKS_PER_TICKTIME
    return dist.heartbeat_messages_per_second(dist.full_mesh(n), interval)


@exercise(2, "idle tick traffic", uses=("mesh_ticks_per_second",), max_score=2)
def exercise_2(fb, mesh_ticks_per_second):
    """Idle ticks per second in a full mesh, for a net_ticktime: 2 per connection per tick."""
    function = fb.function(mesh_ticks_per_second, "mesh_ticks_per_second", arity=2)
    cases = [(int(fb.rng.integers(3, 200)), float(fb.rng.integers(8, 120)))
             for _ in range(3)] + [(2, 8.0)]
    for n, ticktime in cases:
        shown = f"mesh_ticks_per_second({n}, {ticktime:g})"
        value = fb.number(call(fb, function, n, ticktime), shown)
        expected = _ticks(n, ticktime)
        if agrees(value, expected):
            continue
        fb.off(f"{shown} returned {value:.6g}; expected {expected:.6g} ticks per second.")
        connections = _connections(n)
        interval = ticktime / dist.TICKS_PER_TICKTIME
        fb.hint_from(value, [
            (expected / 2, "each connection carries a tick in both directions: two "
                           "messages per connection per tick interval."),
            (expected / 4, "ticks go every net_ticktime / 4 seconds, not every net_ticktime."),
            (expected / 8, "two slips: ticks go both ways on a connection, and every "
                           "net_ticktime / 4 seconds."),
            (expected * 2, "n(n-1) counts each connection twice; there are n(n-1)/2 "
                           "connections, each with 2 ticks per interval."),
            (2 * connections * interval, "divide by the tick interval: more seconds "
                                         "between ticks means fewer ticks per second."),
            (2 * n * n / interval, "a full mesh has n(n-1)/2 connections (exercise 1)."),
        ], "ticks per second = 2 x connections / (net_ticktime / 4).", same=agrees)
        fb.stop()
    fb.right(f"mesh_ticks_per_second matches 2 x n(n-1)/2 / (net_ticktime / 4) on "
             f"{len(cases)} fresh clusters.")
    return 2


# --- Exercises 3 and 4: a consistent-hash ring -----------------------------------------------

def _ring_case(fb, function, nodes, vnodes, keys) -> bool:
    """Probe ring_owner on one ring; True if every key is right (stops on a crash)."""
    ring = dist.ConsistentHashRing(nodes, vnodes=vnodes)
    expected = ring.owners(keys)
    last_point = int(ring.points[-1])
    answers = []
    for key in keys:
        shown = f"ring_owner({key!r}, <{len(nodes)} nodes>, {vnodes})"
        outcome, value = attempt(function, key, list(nodes), vnodes)
        if outcome == "time":
            fb.stop(f"{shown} did not return within the time limit. "
                    "Is there a loop that never ends?")
        if outcome == "error":
            fb.off(f"{shown} raised {value}")
            if dist.stable_hash(key) > last_point:
                fb.hint("this key hashes past the last point on the ring: wrap round to "
                        "the first point (the ring is a circle).")
            fb.stop()
        if value is NOT_DONE:
            fb.not_done()
        if not (isinstance(value, str) and value in nodes):
            fb.off(f"{shown} returned {describe(value)}; it should return one of the "
                   f"node names, such as {nodes[0]!r}.")
            if isinstance(value, _NUMBERS) and not isinstance(value, bool):
                fb.hint("return the node's name, not its index or its hash.")
            fb.stop()
        answers.append(value)
    wrong = [k for k, got, want in zip(keys, answers, expected) if got != want]
    if not wrong:
        return True
    key = wrong[0]
    points = f"{vnodes} virtual node{'s' if vnodes > 1 else ''}"
    fb.off(f"on a ring of {len(nodes)} nodes with {points} each, {len(wrong)} of "
           f"{len(keys)} keys got the wrong owner; e.g. ring_owner({key!r}, ...) returned "
           f"{answers[keys.index(key)]!r}, expected {expected[keys.index(key)]!r}.")
    defaults = dict(label=lambda node, i: f"{node}#{i}", vnodes=vnodes)
    for change, hint in RING_MISTAKES:
        rule = {**defaults, **change}
        label, count = rule.pop("label"), rule.pop("vnodes")
        if owners_by_rule(nodes, count, keys, label, **rule) == answers:
            fb.hint(hint)
            break
    else:
        if all(got == want for got, want, k in zip(answers, expected, keys)
               if dist.stable_hash(k) <= last_point):
            fb.hint("only keys that hash past the last point are wrong: they wrap round "
                    "to the first point on the ring.")
        elif answers == dist.ModuloPlacement(nodes).owners(keys):
            fb.hint("that is modulo placement; place the nodes' points on the ring and "
                    "walk clockwise from the key's hash.")
        else:
            fb.hint("hash keys and points with stable_hash (never Python's hash(), which "
                    "changes from process to process), sort the points, and take the "
                    "first point whose hash is >= the key's hash.")
    return False



@exercise(3, "owner on a consistent-hash ring", uses=("ring_owner",), max_score=3)
def exercise_3(fb, ring_owner):
    """ring_owner(key, nodes, vnodes) agrees with rl.distribution.ConsistentHashRing."""
    function = fb.function(ring_owner, "ring_owner", arity=3)
    cases = [(names(prefix, int(fb.rng.integers(low, high))), vnodes,
              probe_keys(int(fb.rng.integers(2**32)), 60))
             for prefix, low, high, vnodes in
             [("dir-", 4, 7, 1), ("presence", 6, 9, 4), ("vault-", 10, 15, 32)]]
    cases[0] = (*cases[0][:2], with_wrap_round(*cases[0]))
    nodes, vnodes, keys = cases[0]
    if not _ring_case(fb, function, nodes, vnodes, keys):
        return 0
    fb.right("ring_owner is right on a fresh ring with one point per node.")
    for nodes, vnodes, keys in cases[1:]:
        if not _ring_case(fb, function, nodes, vnodes, keys):
            return 1
    fb.right(f"and on fresh rings with {cases[1][1]} and {cases[2][1]} virtual nodes per "
             f"node: {sum(len(c[2]) for c in cases)} keys, every owner right.")
    return 3


@exercise(4, "each node's share of the ring", uses=("ring_shares",), max_score=2)
def exercise_4(fb, ring_shares):
    """ring_shares(nodes, vnodes) gives each node's exact fraction of the hash space."""
    function = fb.function(ring_shares, "ring_shares", arity=2)
    cases = [(names(prefix, int(fb.rng.integers(low, high))), vnodes)
             for prefix, low, high, vnodes in
             [("cache-", 3, 6, 1), ("dir-", 5, 8, 8), ("store-", 8, 13, 64)]]
    for nodes, vnodes in cases:
        shown = f"ring_shares(<{len(nodes)} nodes>, {vnodes})"
        value = call(fb, function, list(nodes), vnodes)
        if value is NOT_DONE:
            fb.not_done()
        if not isinstance(value, Mapping):
            fb.stop(f"{shown} returned {describe(value)}; it should return a dict "
                    "{node: fraction of the hash space}.")
        if set(value) != set(nodes):
            missing = [n for n in nodes if n not in value]
            extra = [k for k in value if k not in nodes]
            fb.stop(f"{shown} should have one entry per node name; missing "
                    f"{missing[:3]}, unexpected {extra[:3]}.")
        got = {node: fb.number(value[node], f"the share of {node!r}") for node in nodes}
        expected = dist.ConsistentHashRing(nodes, vnodes=vnodes).ownership()
        if all(abs(got[n] - expected[n]) <= 1e-9 for n in nodes):
            continue
        worst = max(nodes, key=lambda n: abs(got[n] - expected[n]))
        fb.off(f"{shown}: {worst!r} got {got[worst]:.6g}; expected {expected[worst]:.6g} "
               f"(your shares sum to {sum(got.values()):.6g}).")
        total = sum(got.values())
        if math.isclose(total, dist.HASH_SPACE, rel_tol=1e-6):
            fb.hint("those are lengths on the ring; divide by 2**64 "
                    "(rl.distribution.HASH_SPACE) to get fractions.")
        elif all(abs(g - 1 / len(nodes)) < 1e-12 for g in got.values()):
            fb.hint("every node has the same number of points, but not the same arcs: "
                    "add up the lengths of each node's arcs.")
        elif len(nodes) > 1 and _same(got, shares_after(nodes, vnodes)):
            fb.hint("a point owns the arc *before* it (the keys that walk clockwise onto "
                    "it), not the arc after it.")
        elif total < 1 - 1e-9:
            fb.hint("the shares should add up to 1: the first point also owns the arc "
                    "that wraps round from the last point past 2**64 back to it.")
        else:
            fb.hint("sort the points; the arc from each point's predecessor up to it "
                    "belongs to its node, the first point's arc wrapping round from the last.")
        fb.stop()
    fb.right(f"ring_shares gives every node's exact share on {len(cases)} fresh rings "
             "(1 to 64 virtual nodes).")
    return 2


def _same(got: dict, other: dict) -> bool:
    return all(abs(got[n] - other[n]) <= 1e-9 for n in got)


# --- Exercise 5: keys moved when a node joins ------------------------------------------------

def _to_newcomer(before, after, newcomer, keys) -> float:
    old, new = before.owners(keys), after.owners(keys)
    return float(np.mean([a != b and b == newcomer for a, b in zip(old, new)]))


@exercise(5, "keys moved on a join", uses=("fraction_moved",), max_score=2)
def exercise_5(fb, fraction_moved):
    """fraction_moved(make_placement, nodes, newcomer, keys) agrees with keys_moved."""
    function = fb.function(fraction_moved, "fraction_moved", arity=4)
    keys = probe_keys(int(fb.rng.integers(2**32)), 3_000)
    sizes = [int(n) for n in fb.rng.integers(3, 13, 4)]
    cases = [(placement_builder(16), names("shard-", sizes[0]), "shard-new"),
             (placement_builder(1), names("shard-", sizes[1]), "shard-new"),
             (placement_builder(), names("bucket", sizes[2]), "bucket-new"),
             (placement_builder(), names("bucket", sizes[3]), "bucket-new")]
    rings_right = True
    for make, nodes, newcomer in cases:
        modulo = make.wire["$placement"] is None
        kind = "modulo placement" if modulo else f"a ring ({make.__name__})"
        shown = (f"fraction_moved({make.__name__}, <{len(nodes)} nodes>, {newcomer!r}, "
                 f"<{len(keys)} keys>)")
        value = fb.number(call(fb, function, make, list(nodes), newcomer, list(keys)), shown)
        before, after = make(list(nodes)), make([*nodes, newcomer])
        expected = dist.keys_moved(before, after, keys)
        if agrees(value, expected):
            continue
        fb.off(f"with {kind}, {len(nodes)} -> {len(nodes) + 1} nodes: {shown} returned "
               f"{value:.6g}; expected {expected:.6g}.")
        only_new = _to_newcomer(before, after, newcomer, keys)
        fb.hint_from(value, [
            (only_new, "you counted only the keys that went to the newcomer. With modulo "
                       "placement keys also move between the old nodes: count every key "
                       "whose owner changed."),
            (1 - expected, "that is the fraction that stayed put."),
            (expected * len(keys), "that is a count of keys; divide by len(keys)."),
        ], "build make_placement(nodes) and make_placement(nodes + [newcomer]) and count "
           "the keys whose owner differs, over len(keys).", same=agrees)
        if not modulo:
            rings_right = False
        fb.stop(score=1 if rings_right else 0)
    fb.right("fraction_moved matches rl.distribution.keys_moved for consistent-hash rings "
             f"and modulo placement on {len(keys):,} fresh keys.")
    return 2


# --- Exercise 6: fan-out tail by simulation --------------------------------------------------

@exercise(6, "fan-out p99 by simulation", uses=("request_p99",), max_score=2)
def exercise_6(fb, request_p99):
    """request_p99(service, fanout, requests, seed) is a p99 within its sampling error."""
    function = fb.function(request_p99, "request_p99", arity=4)
    requests = 20_000
    band = p99_band(requests)
    lookup = core.LogNormal(mean=round(float(fb.rng.uniform(3.0, 4.5)), 2),
                            cv=round(float(fb.rng.uniform(1.3, 1.8)), 2))
    cases = [(lookup, 1, int(fb.rng.integers(2**31))),
             (lookup, 12, int(fb.rng.integers(2**31))),
             (core.Exponential(rate=round(float(fb.rng.uniform(0.4, 0.6)), 2)), 40,
              int(fb.rng.integers(2**31)))]
    for service, fanout, seed in cases:
        shown = f"request_p99({service}, {fanout}, {requests}, {seed})"
        value = fb.number(call(fb, function, service, fanout, requests, seed), shown)
        level = request_cdf(value, service, fanout)
        if abs(level - 0.99) <= band:
            continue
        low = request_quantile(0.99 - band, service, fanout)
        high = request_quantile(min(0.99 + band, 1.0), service, fanout)
        fb.off(f"with a fan-out of {fanout} to {service}, {shown} returned {value:.4g} ms; "
               f"the p99 of {requests:,} simulated requests falls in [{low:.4g}, "
               f"{high:.4g}] ms in 99.99% of honest simulations. Your value is the "
               f"request's p{100 * level:.2f}.")
        if fanout > 1 and abs(request_cdf(value, service, 1) - 0.99) <= band:
            fb.hint("that is the p99 of a request with ONE lookup: the request waits for "
                    "the slowest of its `fanout` parallel lookups, so take the maximum over "
                    "them, request by request.")
        elif abs(request_cdf(value, relay.LOOKUP_MS, fanout) - 0.99) <= band:
            fb.hint("that is the p99 for the lab's LOOKUP; simulate the `service` the "
                    "function is given, so it works for any lookup distribution.")
        elif abs(request_cdf(value + FIXED_MS, service, fanout) - 0.99) <= band:
            fb.hint("add the fixed hops (FRONT_END_MS + LOGIC_MS) to every request.")
        elif level < 0.9:
            fb.hint("that is well below the tail: is it the mean or the median rather "
                    "than the 99th percentile?")
        elif level < 0.99:
            fb.hint("simulate all `requests` requests, each the fixed hops plus the "
                    "maximum of `fanout` draws from `service`, then take the 99th "
                    "percentile; rl.distribution.simulate_request_path does the first part.")
        else:
            fb.hint("far too slow: are the parallel lookups added up instead of taking the "
                    "slowest one? Or is it the maximum over all requests, not the p99?")
        fb.stop()
    fb.right(f"request_p99 lands within the 99.99% sampling band of the exact p99, "
             f"FIXED_MS + F^-1(0.99^(1/k)), for fan-outs of 1, 12 and 40 ({requests:,} "
             "requests each).")
    service, fanout, seed = cases[1]
    again = attempt(function, service, fanout, requests, seed)
    first = call(fb, function, service, fanout, requests, seed)
    if again[0] == "ok" and _same_number(again[1], first):
        fb.right("and the same seed gives the same p99, so your runs repeat.")
        return 2
    fb.off("called twice with the same seed, it gave two different answers.")
    fb.hint("pass `seed` to the simulation (seed=seed, or rl.core.rng(seed)) so that a "
            "run can be repeated exactly.")
    return 1


def _same_number(a, b) -> bool:
    try:
        return math.isclose(float(a), float(b), rel_tol=1e-12)
    except (TypeError, ValueError):
        return False
