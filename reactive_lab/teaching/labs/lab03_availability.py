"""Checks for Lab 3, Availability: algebra, Relay's nines, a restart policy, a detector, failover.

The lab's setup cell does ``from reactive_lab.teaching.labs import lab03_availability as
check``; after each exercise a cell calls ``check.exercise_N(the_learners_function)``.
Each check probes the function on inputs the lab never shows, drawn from ``fb.rng`` (a
fixed seed in Jupyter, a secret one in the grader, so a table of the feedback's answers
does not carry over), and compares with :mod:`reactive_lab.theory` and
:mod:`reactive_lab.availability`. Exercise 3 runs the learner's restart rule as the policy
of a :class:`reactive_lab.availability.Supervisor` under transient and deterministic crash
schedules.

>>> from reactive_lab import theory
>>> result = exercise_1(lambda k, n, mtbf, mttr: theory.k_of_n(k, n, mtbf / (mtbf + mttr)))
Exercise 1 (availability of a k-of-n group): 2/2 - pass
  + group_availability matches the binomial tail with A = MTBF/(MTBF+MTTR) on 6 fresh groups, series and parallel included.
"""  # noqa: E501 (a doctest's expected line cannot wrap)

# Taught in solutions/03-availability.ipynb; keep names in sync.

from __future__ import annotations

import math

import numpy as np

from reactive_lab import availability as av
from reactive_lab import relay, theory
from reactive_lab.core.sim import Simulation
from reactive_lab.teaching.checking import NOT_DONE, agrees, attempt, describe, exercise

__all__ = ["exercise_1", "exercise_2", "exercise_3", "exercise_4", "exercise_5"]



def _round(x: float, digits: int = 3) -> float:
    """``x`` to ``digits`` significant digits: probes that read well in the feedback."""
    return float(f"{x:.{digits}g}")


def _repairable(rng) -> tuple[float, float]:
    """A fresh (MTBF, MTTR): 10 to 1,000 hours up, repairs 0.5% to 30% of that."""
    mtbf = _round(10 ** rng.uniform(1.0, 3.0))
    return mtbf, _round(mtbf * rng.uniform(0.005, 0.3))


# --- Exercise 1: k-of-n from MTBF and MTTR -------------------------------------------------

@exercise(1, "availability of a k-of-n group", uses=("group_availability",), max_score=2)
def exercise_1(fb, group_availability):
    """group_availability(k, n, mtbf, mttr): the binomial tail with A = MTBF/(MTBF+MTTR)."""
    function = fb.function(group_availability, "group_availability", arity=4)
    cases = _groups(fb.rng)
    for k, n, mtbf, mttr in cases:
        shown = f"group_availability({k}, {n}, {mtbf:g}, {mttr:g})"
        value = fb.number(_call(fb, function, k, n, mtbf, mttr), shown)
        a = mtbf / (mtbf + mttr)
        expected = theory.k_of_n(k, n, a)
        if agrees(value, expected):
            continue
        fb.off(f"{shown} returned {value:.9g}; expected {expected:.9g}.")
        fb.hint_from(value, [
            (theory.k_of_n(k, n, mttr / (mtbf + mttr)),
             "a part is up MTBF / (MTBF + MTTR) of the time, not MTTR / (MTBF + MTTR)."),
            (theory.k_of_n(k, n, mtbf / mttr) if mtbf / mttr <= 1 else -1.0,
             "availability is MTBF / (MTBF + MTTR), a fraction of all the time."),
            (math.comb(n, k) * a**k * (1 - a) ** (n - k),
             "that is the chance of exactly k up; the group is up with k OR MORE: sum the "
             "terms from i = k to n."),
            (sum(a**i * (1 - a) ** (n - i) for i in range(k, n + 1)),
             "each term needs the binomial coefficient comb(n, i): the number of ways to "
             "choose which i parts are up."),
            (1 - theory.k_of_n(k, n, a), "that is the chance the group is DOWN."),
        ], "P(at least k of n up) = sum over i from k to n of comb(n, i) A^i (1-A)^(n-i).",
            same=agrees)
        fb.stop()
    fb.right(f"group_availability matches the binomial tail with A = MTBF/(MTBF+MTTR) on "
             f"{len(cases)} fresh groups, series and parallel included.")
    return 2


def _groups(rng):
    """Six fresh (k, n, MTBF, MTTR): three k-of-n with 1 < k < n, one part alone, a
    parallel group (1 of n) and a series one (n of n)."""
    def k_of_n():
        n = int(rng.integers(3, 13))
        return int(rng.integers(2, n)), n

    parallel, series = int(rng.integers(2, 6)), int(rng.integers(2, 7))
    shapes = [k_of_n(), (1, 1), (1, parallel), (series, series), k_of_n(), k_of_n()]
    return [(k, n, *_repairable(rng)) for k, n in shapes]


def _call(fb, function, *args):
    outcome, value = attempt(function, *args)
    if outcome == "time":
        fb.stop("your function did not return within the time limit. Is there a loop "
                "that never ends?")
    if outcome == "error":
        fb.stop(f"your function raised {type(value).__name__}: {value}")
    return value


# --- Exercise 2: Relay's nines ----------------------------------------------------------------

@exercise(2, "Relay's nines with replicas", uses=("relay_nines",), max_score=2)
def exercise_2(fb, relay_nines):
    """relay_nines(replicas, shared): nines of Relay's tiers in series, as relay_blocks says."""
    function = fb.function(relay_nines, "relay_nines", arity=2)
    node = theory.steady_state_availability(relay.NODE_MTBF_H, relay.NODE_MTTR_H)
    cases = [(1, 1.0), (int(fb.rng.integers(2, 6)), 1.0)]
    for replicas in (int(r) for r in fb.rng.integers(1, 6, 3)):
        # A shared part about as likely to be down as the message store: both count.
        store = 1 - theory.k_of_n(replicas // 2 + 1, replicas, node)
        cases.append((replicas, 1 - _round(store * 10 ** fb.rng.uniform(-0.7, 0.7), 2)))
    for replicas, shared in cases:
        shown = f"relay_nines({replicas}, {shared:.10g})"
        value = fb.number(_call(fb, function, replicas, shared), shown)
        expected = theory.nines(av.relay_blocks(replicas, shared).system)
        if agrees(value, expected):
            continue
        fb.off(f"{shown} returned {value:.6g}; expected {expected:.6g} nines.")
        all_parallel = theory.series(shared, *[theory.parallel(*[node] * replicas)] * 5)
        fb.hint_from(value, [
            (theory.nines(all_parallel),
             "the message store needs a MAJORITY of its replicas (replicas // 2 + 1), "
             "not just one."),
            (theory.nines(av.relay_blocks(replicas, 1.0).system),
             "every tier also depends on the shared part: multiply by `shared`."),
            (av.relay_blocks(replicas, shared).system,
             "that is the availability; return its nines, -log10(1 - availability)."),
            (theory.nines(theory.series(shared, *[node] * 5)),
             "replicate every tier: each has `replicas` nodes."),
        ], "five tiers in series (front-end, logic, message store, push gateway, user "
           "directory), each 1-of-n except the store's majority, times the shared part.",
            same=agrees)
        fb.stop()
    fb.right(f"relay_nines agrees with rl.availability.relay_blocks on {len(cases)} fresh "
             "settings, with and without a shared dependency.")
    return 2


# --- Exercise 3: a restart policy under crash schedules ---------------------------------------

class _BadPolicy(Exception):
    """The learner's policy raised, hung or returned something that is not a bool."""


def _guarded(fb, function):
    def policy(restarts, now, intensity, period):
        outcome, value = attempt(function, list(restarts), now, intensity, period)
        args = f"restart_allowed({restarts!r}, {now:g}, {intensity}, {period:g})"
        if outcome == "time":
            raise _BadPolicy(f"{args} did not return within the time limit.")
        if outcome == "error":
            raise _BadPolicy(f"{args} raised {type(value).__name__}: {value}")
        if value is NOT_DONE:
            fb.not_done()
        if not isinstance(value, bool | np.bool_):
            raise _BadPolicy(f"{args} returned {describe(value)}; return True or False.")
        return bool(value)
    return policy


def _run(policy, fault, intensity, period, seed, until=600.0):
    sim = Simulation(seed=seed, record_queues=False)
    sup = av.Supervisor(sim, "sup", [av.Worker("w", fault)], intensity=intensity,
                        period=period, restart_time=0.2, reboot_after=10.0,
                        clock_resolution=0.0, policy=policy)
    sim.run(until=until)
    return sup, av.up_fraction(sim, ["w"])


@exercise(3, "a supervisor's restart rule", uses=("restart_allowed",), max_score=3)
def exercise_3(fb, restart_allowed):
    """restart_allowed(restarts, now, intensity, period) decides as OTP does, in exact time."""
    function = fb.function(restart_allowed, "restart_allowed", arity=4)
    policy = _guarded(fb, function)
    for hint, (restarts, now, intensity, period, expected) in _PROBES.items():
        try:
            value = policy(restarts, now, intensity, period)
        except _BadPolicy as error:
            fb.stop(str(error))
        if value is not expected:
            fb.off(f"restart_allowed({restarts}, {now:g}, {intensity}, {period:g}) returned "
                   f"{value}; OTP's rule says {expected}.")
            fb.hint(hint)
            fb.stop()
    for restarts, now, intensity, period in _histories(fb.rng):
        try:
            value = policy(restarts, now, intensity, period)
        except _BadPolicy as error:
            fb.stop(str(error))
        expected = _otp_allows(restarts, now, intensity, period)
        if value is not expected:
            inside = sum(t >= now - period for t in restarts)
            fb.off(f"restart_allowed({restarts}, {now:g}, {intensity}, {period:g}) returned "
                   f"{value}; OTP's rule says {expected} ({inside} of the {len(restarts)} "
                   f"earlier restarts are in the window, at or after {now - period:g}).")
            fb.hint("keep the restart times at or after now - period, add this one, and "
                    "allow the restart only if that count is at most intensity.")
            fb.stop()
    fb.right(f"restart_allowed decides {len(_PROBES)} edge cases as OTP does (the window's "
             f"edge, an empty history, intensity 0), and {_HISTORIES} fresh histories.")
    schedules = [("transient crashes every 3 s on average", av.TransientFault(3.0), 3, 10.0),
                 ("a deterministic fault at 60 s", av.DeterministicFault(60.0, 0.5), 2, 5.0)]
    score = 1
    seed = int(fb.rng.integers(2**31))
    for name, fault, intensity, period in schedules:
        try:
            mine, up = _run(policy, fault, intensity, period, seed)
        except _BadPolicy as error:
            fb.stop(str(error), score=score)
        reference, expected_up = _run(None, fault, intensity, period, seed)
        if [round(t, 9) for t in mine.gave_up] == [round(t, 9) for t in reference.gave_up]:
            score += 1
            fb.right(f"{name}, intensity {intensity} in {period:g} s: same {len(mine.gave_up)} "
                     f"give-ups as OTP's rule, up {up:.2%} of the time.")
            continue
        fb.off(f"{name}, intensity {intensity} in {period:g} s: your rule gave up "
               f"{len(mine.gave_up)} times and kept the worker up {up:.2%} of the time; "
               f"OTP's rule gives up {len(reference.gave_up)} times ({expected_up:.2%} up).")
        fb.hint("keep the restart times at or after now - period, add this one, and allow "
                "the restart only if that count is at most intensity.")
        fb.stop(score=score)
    return score


_PROBES = {
    "with intensity 0 no restart is allowed: the restarts in the window, counting this "
    "one, must be at most intensity.": ([], 1.0, 0, 5.0, False),
    "with no earlier restart, intensity 1 allows this one.": ([], 1.0, 1, 5.0, True),
    "count only the restarts still in the window: those at or after now - period.":
        ([0.0, 1.0], 10.0, 1, 5.0, True),
    "a restart exactly `period` seconds ago is still in the window (>=, not >).":
        ([5.0], 10.0, 1, 5.0, False),
    "count this restart too: intensity 1 allows one restart in the window, not two.":
        ([9.0], 10.0, 1, 5.0, False),
    "intensity 3 allows a third restart in the window when two are there already.":
        ([7.0, 8.0], 10.0, 3, 5.0, True),
}
"""Edge cases ``hint: (restarts, now, intensity, period, OTP's answer)``, in exact time."""

_HISTORIES = 4
"""Fresh restart histories exercise 3 probes after the edge cases."""


def _otp_allows(restarts, now, intensity, period) -> bool:
    """OTP's rule, as :class:`~reactive_lab.availability.Supervisor` applies it."""
    return sum(t >= now - period for t in restarts) + 1 <= intensity


def _histories(rng):
    """Fresh (restarts, now, intensity, period): a few restarts before the window, and
    either one less than intensity in it (restart) or intensity (give up), half of each.
    No restart lies within 10 ms of the window's edge: that edge is an exact-time decision
    the edge cases test, not a matter of rounding."""
    cases = []
    for gives_up in rng.permutation([0, 1] * (_HISTORIES // 2)):
        period = float(rng.integers(2, 31))
        intensity = int(rng.integers(1, 6))
        now = round(float(rng.uniform(period + 5.0, 200.0)), 2)
        start = now - period
        inside = intensity - 1 + int(gives_up)
        times = [rng.uniform(start + 0.01, now - 0.01) for _ in range(inside)]
        times += [rng.uniform(max(start - 3 * period, 0.0), start - 0.01)
                  for _ in range(int(rng.integers(0, 4)))]
        cases.append((sorted(round(float(t), 2) for t in times), now, intensity, period))
    return cases


# --- Exercise 4: a detector for a false-suspicion budget --------------------------------------

@exercise(4, "a timeout for a false-suspicion budget", uses=("timeout_for_budget",),
          max_score=2)
def exercise_4(fb, timeout_for_budget):
    """timeout_for_budget(per_day, interval, mean, std): phi's timeout for the budget."""
    function = fb.function(timeout_for_budget, "timeout_for_budget", arity=4)
    cases = []
    for _ in range(4):
        interval = round(float(fb.rng.uniform(0.2, 5.0)), 2)
        mean = _round(interval * fb.rng.uniform(1.0, 1.1))  # gaps: the interval plus delay
        cases.append((_round(10 ** fb.rng.uniform(-4.0, 1.3), 2), interval, mean,
                      _round(mean * fb.rng.uniform(0.03, 0.3), 2)))
    for per_day, interval, mean, std in cases:
        shown = f"timeout_for_budget({per_day:g}, {interval:g}, {mean:g}, {std:g})"
        value = fb.number(_call(fb, function, per_day, interval, mean, std), shown)
        heartbeats = 86_400.0 / interval
        threshold = -math.log10(per_day / heartbeats)
        expected = theory.phi_timeout(threshold, mean, std)
        if agrees(value, expected):
            continue
        fb.off(f"{shown} returned {value:.6g} s; expected {expected:.6g} s (phi threshold "
               f"{threshold:.3f}).")
        fb.hint_from(value, [
            (_timeout_or_nan(per_day / 86_400.0, mean, std),
             "there are 86,400 / interval heartbeats a day, not 86,400."),
            (_timeout_or_nan(per_day, mean, std),
             "the budget is per day; each heartbeat gap is one chance: divide by the "
             "number of heartbeats a day."),
            (threshold, "that is the phi threshold; return the silence in seconds at which "
                        "phi reaches it (rl.theory.phi_timeout)."),
            (mean + std * -math.log10(per_day / heartbeats),
             "phi is not a number of standard deviations: solve Q(z) = 10**-phi for z."),
        ], "phi threshold = -log10(budget per day / heartbeats per day); the timeout is "
           "where phi reaches it: rl.theory.phi_timeout(threshold, mean, std).",
            same=agrees)
        fb.stop()
    fb.right(f"timeout_for_budget is right on {len(cases)} fresh budgets and networks: "
             "each gap exceeds it with probability budget / heartbeats a day.")
    return 2


def _timeout_or_nan(tail: float, mean: float, std: float) -> float:
    """phi's timeout for a tail probability, or NaN where that mistake has no meaning."""
    if not 0 < tail < 1:
        return math.nan
    return theory.phi_timeout(min(-math.log10(tail), 300.0), mean, std)


# --- Exercise 5: failover availability against the detection timeout -------------------------

@exercise(5, "failover availability", uses=("failover_availability",), max_score=2)
def exercise_5(fb, failover_availability):
    """failover_availability(mtbf, timeout, takeover, interval, jitter), renewal formula."""
    function = fb.function(failover_availability, "failover_availability", arity=5)
    cases = _failovers(fb.rng)
    for mtbf, timeout, takeover, interval, jitter in cases:
        shown = (f"failover_availability({mtbf:g}, {timeout:g}, {takeover:g}, {interval:g}, "
                 f"{jitter:g})")
        value = fb.number(_call(fb, function, mtbf, timeout, takeover, interval, jitter),
                          shown)
        detect = av.expected_detection(interval, jitter, timeout)
        expected = theory.steady_state_availability(mtbf, detect + takeover)
        if agrees(value, expected):
            continue
        fb.off(f"{shown} returned {value:.9g}; expected {expected:.9g}.")
        fb.hint_from(value, [
            (theory.steady_state_availability(mtbf, detect),
             "the outage lasts detection PLUS takeover."),
            (theory.steady_state_availability(mtbf, timeout + takeover),
             "detection is shorter than the timeout on average: the last heartbeat was sent "
             "about interval/2 before the crash, and arrived jitter/2 after it was sent."),
            (theory.steady_state_availability(mtbf, timeout + interval / 2 + takeover),
             "the crash comes on average interval/2 AFTER the last heartbeat was sent, so "
             "subtract it from the timeout."),
            (theory.steady_state_availability(mtbf, timeout - interval / 2 + takeover),
             "add the mean network delay of the last heartbeat, jitter / 2."),
        ], "availability = MTBF / (MTBF + detection + takeover), detection = timeout + "
           "jitter/2 - interval/2.", same=agrees)
        fb.stop()
    fb.right(f"failover_availability matches MTBF / (MTBF + detection + takeover) on "
             f"{len(cases)} fresh pairs; the tests hold the simulation to the same formula.")
    return 2


def _failovers(rng):
    """Four fresh (MTBF, timeout, takeover, interval, jitter), the last without jitter.

    MTBF from 500 s to 4,000 s: short enough that each term of the outage (jitter / 2 is
    at least 0.1 s) moves the availability by 2e-5 or more, 20 times the check's
    tolerance, so a forgotten term cannot pass as rounding (a day-long MTBF would hide it
    below 1e-6)."""
    cases = []
    for jitter_low, jitter_high in [(0.2, 1.0)] * 3 + [(0.0, 0.0)]:
        interval = round(float(rng.uniform(0.5, 5.0)), 2)
        cases.append((_round(10 ** rng.uniform(2.7, 3.6)),
                      _round(interval * rng.uniform(1.5, 5.0)),
                      _round(10 ** rng.uniform(0.0, 2.5)),
                      interval, round(float(rng.uniform(jitter_low, jitter_high)), 2)))
    return cases
