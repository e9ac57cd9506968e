"""Tests of Lab 1 (Distribution): its checks, its notebooks and its grading.

The checks of every lab also go through the generic tests in ``test_labs.py`` (solution
passes, lab says "not done", a dozen bad answers, the notebooks run and are graded);
these tests add what is particular to this lab: its typical mistakes get a hint naming them,
partial credit where an answer is half right, fresh inputs so a copied number fails, the
statistics of the simulation check, and a broken answer graded end to end.
"""

import bisect
import copy
import csv
import math
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest

import reactive_lab as rl
from reactive_lab.teaching import checking, labs
from reactive_lab.teaching.labs import fanout, rings
from reactive_lab.teaching.labs import lab01_distribution as lab1

ROOT = Path(__file__).resolve().parents[2]
SOLUTION = ROOT / "solutions" / "01-distribution.ipynb"
CHECKS = checking.exercises_of(lab1)
stable_hash = rl.distribution.stable_hash


def test_lab_is_registered_with_six_exercises():
    """The grader finds the lab's checks, numbered 1 to 6, each naming what it reads."""
    assert labs.discover()["01-distribution"] == "reactive_lab.teaching.labs.lab01_distribution"
    assert [c.exercise_number for c in CHECKS] == ["1", "2", "3", "4", "5", "6"]
    assert [c.uses for c in CHECKS] == [
        ("full_mesh_connections",), ("mesh_ticks_per_second",), ("ring_owner",),
        ("ring_shares",), ("fraction_moved",), ("request_p99",)]


# --- Bad answers: at least five kinds per check, each with feedback and no exception --------

def _raises(*args):
    raise KeyError("boom")


def _loops(*args):
    while True:
        pass


def _owner(label=lambda node, i: f"{node}#{i}", clockwise=True, wrap=True, one_point=False):
    """A ring_owner with one of the classic slips."""
    def ring_owner(key, nodes, vnodes):
        points = sorted((stable_hash(label(node, i)), node)
                        for node in nodes for i in range(1 if one_point else vnodes))
        positions = [p for p, _ in points]
        if not clockwise:
            return points[bisect.bisect_right(positions, stable_hash(key)) - 1][1]
        slot = bisect.bisect_left(positions, stable_hash(key))
        return points[slot % len(points) if wrap else min(slot, len(points) - 1)][1]
    return ring_owner


def _shares(arc_after=False, no_wrap=False, scale=2**64):
    """A ring_shares with one of the classic slips."""
    def ring_shares(nodes, vnodes):
        points = sorted((stable_hash(f"{node}#{i}"), node)
                        for node in nodes for i in range(vnodes))
        shares = dict.fromkeys(nodes, 0)
        for index, (position, node) in enumerate(points):
            if arc_after:
                arc = (points[(index + 1) % len(points)][0] - position) % 2**64
            elif index == 0:
                arc = 0 if no_wrap else position + 2**64 - points[-1][0]
            else:
                arc = position - points[index - 1][0]
            shares[node] += arc
        return {node: arc / scale for node, arc in shares.items()}
    return ring_shares


def _moved(count=False, stayed=False, only_newcomer=False):
    def fraction_moved(make, nodes, newcomer, keys):
        before, after = make(nodes).owners(keys), make(nodes + [newcomer]).owners(keys)
        moved = [a != b and (b == newcomer or not only_newcomer)
                 for a, b in zip(before, after)]
        fraction = sum(moved) / len(keys)
        return sum(moved) if count else 1 - fraction if stayed else fraction
    return fraction_moved


def _p99(per_request="max", fixed=3.0, statistic="p99", seeded=True):
    """A request_p99 simulated by hand, with one of the classic slips."""
    def request_p99(service, fanout, requests, seed):
        generator = np.random.default_rng(seed if seeded else None)
        draws = service.sample(generator, requests * fanout).reshape(requests, fanout)
        slowest = {"max": draws.max(axis=1), "sum": draws.sum(axis=1),
                   "first": draws[:, 0]}[per_request]
        latency = fixed + slowest
        return float(np.mean(latency) if statistic == "mean" else np.percentile(latency, 99))
    return request_p99


COMMON_BAD = {
    "None": None,
    "a string": "n * (n - 1) / 2",
    "a function that raises": _raises,
    "a function that loops forever": _loops,
    "a function returning NaN": lambda *args: math.nan,
}

WRONG = {
    # check: [(kind of mistake, answer, words the feedback must contain)]
    "exercise_1": [
        ("n*n", lambda n: n * n, "does not connect to itself"),
        ("both ends counted", lambda n: n * (n - 1), "twice"),
        ("off by one", lambda n: n * (n + 1) // 2, "off by one"),
        ("wrong signature", lambda n, m: n, "cannot be called with 1"),
    ],
    "exercise_2": [
        ("one direction", lambda n, t: n * (n - 1) / 2 / (t / 4), "both directions"),
        ("interval = net_ticktime", lambda n, t: n * (n - 1) / t, "net_ticktime / 4"),
        ("times the interval", lambda n, t: n * (n - 1) * (t / 4), "divide by the tick"),
        ("n(n-1) connections", lambda n, t: 2 * n * (n - 1) / (t / 4), "twice"),
        ("wrong signature", lambda n: n, "cannot be called with 2"),
    ],
    "exercise_3": [
        ("counter-clockwise", _owner(clockwise=False), "counter-clockwise"),
        ("vnodes from 1", _owner(label=lambda node, i: f"{node}#{i + 1}"), "numbered from 0"),
        ("other label", _owner(label=lambda node, i: f"{node}-{i}"), "with a #"),
        ("no wrap-round", _owner(wrap=False), "wrap round"),
        ("python hash()", lambda key, nodes, v: nodes[hash(key) % len(nodes)], "stable_hash"),
        ("an index", lambda key, nodes, v: 0, "not its index"),
        ("wrong signature", lambda key: key, "cannot be called with 3"),
    ],
    "exercise_4": [
        ("counted points", lambda nodes, v: {n: 1 / len(nodes) for n in nodes}, "arcs"),
        ("arc after the point", _shares(arc_after=True), "arc *before*"),
        ("no wrap-round arc", _shares(no_wrap=True), "add up to 1"),
        ("lengths, not fractions", _shares(scale=1), "divide by 2**64"),
        ("a list", lambda nodes, v: [1 / len(nodes)] * len(nodes), "should return a dict"),
        ("wrong keys", lambda nodes, v: {"a": 1.0}, "one entry per node"),
        ("wrong signature", lambda nodes: {}, "cannot be called with 2"),
    ],
    "exercise_5": [
        ("count, not fraction", _moved(count=True), "count of keys"),
        ("fraction that stayed", _moved(stayed=True), "stayed put"),
        ("only to the newcomer", _moved(only_newcomer=True), "between the old nodes"),
        ("out of range", lambda *args: 12345.0, "expected"),
        ("wrong signature", lambda make, nodes: 0.5, "cannot be called with 4"),
    ],
    "exercise_6": [
        ("one lookup, no fan-out", _p99(per_request="first"), "ONE lookup"),
        ("forgot the fixed hops", _p99(fixed=0.0), "fixed hops"),
        ("the mean", _p99(statistic="mean"), "mean or the median"),
        ("lookups added up", _p99(per_request="sum"), "added up"),
        ("ignores `service`", lambda service, k, n, seed: _p99()(
            rl.relay.LOOKUP_MS, k, n, seed), "lab's LOOKUP"),
        ("wrong signature", lambda service, fanout: 1.0, "cannot be called with 4"),
    ],
}

BAD_CASES = [
    pytest.param(check, kind, answer, words, id=f"{check.__name__}-{kind}")
    for check in CHECKS
    for kind, answer, words in (
        [(kind, answer, None) for kind, answer in COMMON_BAD.items()]
        + WRONG[check.__name__])
]


@pytest.mark.parametrize("check, kind, answer, words", BAD_CASES)
def test_check_gives_feedback_on_a_bad_answer(check, kind, answer, words, capsys, request):
    """Each bad answer scores below full marks, prints feedback (a hint naming the slip
    where the check can tell it) and never a traceback."""
    if answer is _loops:  # only the endless loop waits out the time limit: shorten it
        request.getfixturevalue("short_time_limit")
    result = check(answer)
    out = capsys.readouterr().out
    assert result.status in ("fail", "partial") and result.score < result.max_score
    assert len(result.feedback.splitlines()) >= 2 and "Traceback" not in out
    assert "bug in the course" not in out
    if words:
        assert words in result.feedback, result.feedback


def test_wrong_formulas_score_zero_and_half_right_answers_partial(capsys):
    """Half-right answers get partial credit and say what is missing."""
    one_point = lab1.exercise_3(_owner(one_point=True))
    assert (one_point.status, one_point.score) == ("partial", 1)
    assert "one point per node" in one_point.feedback
    newcomer_only = lab1.exercise_5(_moved(only_newcomer=True))
    assert (newcomer_only.status, newcomer_only.score) == ("partial", 1)
    unseeded = lab1.exercise_6(_p99(seeded=False))
    assert (unseeded.status, unseeded.score) == ("partial", 1)
    assert "same seed" in unseeded.feedback
    assert lab1.exercise_1(lambda n: n * n).score == 0
    capsys.readouterr()


def test_checks_probe_fresh_inputs(capsys):
    """Numbers the lab prints cannot pass: the checks use other sizes, names and keys."""
    assert lab1.exercise_1(lambda n: 4950).score == 0  # the lab's 100-node mesh
    assert lab1.exercise_2(lambda n, t: 660.0).score == 0  # the lab's default ticks
    assert lab1.exercise_3(lambda key, nodes, vnodes: nodes[6 % len(nodes)]).score == 0
    assert lab1.exercise_5(lambda *args: 0.887).score == 0  # the lab's modulo printout
    assert lab1.exercise_6(lambda *args: 49.27).score == 0  # the lab's fan-out 10
    capsys.readouterr()


def test_simulation_check_accepts_honest_simulations_of_any_seed(capsys):
    """A correct simulation written by hand passes whatever stream of numbers it draws."""
    for offset in (0, 1, 2, 3, 4):
        def request_p99(service, fanout, requests, seed, offset=offset):
            return _p99()(service, fanout, requests, seed + 1_000 * offset)
        assert lab1.exercise_6(request_p99).status == "pass"
    capsys.readouterr()


def test_p99_band_covers_sample_percentiles_at_its_stated_rate():
    """The band is the order-statistic CI: the p99 of N uniforms lands in it (99.99%)."""
    generator = np.random.default_rng(7)
    requests, runs = 2_000, 2_000
    band = fanout.p99_band(requests)
    samples = np.percentile(generator.random((runs, requests)), 99, axis=1)
    outside = np.mean(np.abs(samples - 0.99) > band)
    assert outside <= 0.002
    z = (samples - 0.99) / math.sqrt(0.99 * 0.01 / requests)
    assert 0.9 < z.std() < 1.1  # the band is neither too wide nor too narrow


def test_exact_request_quantile_matches_the_book():
    """The check's exact p99 is the chapter's F^-1(q^(1/k)) plus Relay's fixed hops."""
    assert fanout.FIXED_MS == rl.relay.HOP_MS["front-end"] + rl.relay.HOP_MS["logic"] == 3.0
    service = rl.core.Exponential(rate=0.5)
    for k in (1, 12, 40):
        q = fanout.request_quantile(0.99, service, k)
        expected = 3.0 + rl.distribution.slowest_of_k_quantile(
            0.99, k, lambda u: -math.log1p(-u) / 0.5)
        assert math.isclose(q, expected, rel_tol=1e-12)
        assert math.isclose(fanout.request_cdf(q, service, k), 0.99, rel_tol=1e-12)


def test_ring_probes_cover_the_wrap_round():
    """The first ring the check probes has keys past its last point (the wrap-round)."""
    ring = rl.distribution.ConsistentHashRing(rings.names("dir-", 5), vnodes=1)
    past = [k for k in rings.probe_keys(31, 60) if stable_hash(k) > int(ring.points[-1])]
    assert len(past) >= 3


# --- A broken answer, graded end to end ---------------------------------------------------

@pytest.mark.slow
def test_grader_costs_a_broken_answer_just_its_exercise(tmp_path):
    """One broken function loses just that exercise, with the hint naming the slip.

    (The solution's full marks and the untouched lab's zero are in test_labs.py, from the
    session's one execution of each notebook.)"""
    broken = tmp_path / "broken.ipynb"
    nb = copy.deepcopy(nbformat.read(SOLUTION, as_version=4))
    (cell,) = [c for c in nb.cells if c.get("id") == "ex3"]
    cell.source = cell.source.replace("slot % len(points)", "slot - 1")  # counter-clockwise
    nbformat.write(nb, broken)
    csv_path = tmp_path / "grades.csv"
    done = subprocess.run(
        [sys.executable, "-m", "reactive_lab.teaching.grade", str(broken),
         "--csv", str(csv_path), "--timeout", "120"],
        capture_output=True, text=True, check=False, timeout=600)
    assert done.returncode == 0, done.stderr
    with open(csv_path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))[1:]

    def scores(path):
        return {row[2]: (float(row[3]), float(row[4]), row[5]) for row in rows
                if row[0] == str(path) and row[1] == "01-distribution"}

    broken_scores = scores(broken)
    assert len(broken_scores) == 6
    assert broken_scores["exercise_3"][0] == 0
    assert "counter-clockwise" in broken_scores["exercise_3"][2]
    assert all(got == best for name, (got, best, _) in broken_scores.items()
               if name not in ("exercise_3",))
