"""Closed forms of chapter 2's calls and retries, against direct enumeration and each other."""

import pytest

import reactive_lab as rl
from reactive_lab.theory import effect_counts, expected_attempts, residual_failure


def _enumerate_effects(p, r, attempts, effects=0):
    """P(effects = 0, 1, 2+) by following each attempt's three fates: lost, no reply, reply."""
    if attempts == 0:
        return [float(min(effects, 2) == e) for e in range(3)]
    lost = _enumerate_effects(p, r, attempts - 1, effects)
    unanswered = _enumerate_effects(p, r, attempts - 1, effects + 1)
    answered = [float(min(effects + 1, 2) == e) for e in range(3)]
    return [p * a + (1 - p) * r * b + (1 - p) * (1 - r) * c
            for a, b, c in zip(lost, unanswered, answered)]


@pytest.mark.parametrize(("p", "r", "attempts"), [(0.1, 0.1, 1), (0.2, 0.3, 3), (0.5, 0.5, 4)])
def test_effect_counts_match_enumeration_of_every_attempt_path(p, r, attempts):
    """The recursion over attempts equals the sum over all paths of attempt fates."""
    c = effect_counts(p, r, attempts)
    none, once, more = _enumerate_effects(p, r, attempts)
    assert c.none == pytest.approx(none) and c.once == pytest.approx(once)
    assert c.more == pytest.approx(more)
    assert c.none + c.once + c.more == pytest.approx(1.0)


def test_effect_counts_lose_only_when_every_request_is_lost():
    """With retries, an operation is lost only if all its requests are: p ** attempts."""
    assert effect_counts(0.3, 0.6, 4).none == pytest.approx(0.3**4)
    assert effect_counts(0.3, 0.0, 4).more == 0.0  # no reply lost: nothing retried twice


def test_expected_attempts_is_the_truncated_geometric_series():
    """1 + f + ... + f^r, and all r + 1 attempts fail with probability f^(r+1)."""
    assert expected_attempts(0.2, 3) == pytest.approx(1 + 0.2 + 0.04 + 0.008)
    assert residual_failure(0.2, 3) == pytest.approx(0.2**4)


def test_false_timeout_rate_is_the_tail_at_the_timeout():
    d = rl.core.LogNormal(mean=5.0, cv=1.0)
    assert rl.theory.false_timeout_rate(d, d.ppf(0.95)) == pytest.approx(0.05)


@pytest.mark.parametrize(("call", "message"), [
    (lambda: effect_counts(1.0, 0.1, 2), "request_loss must be a number from 0 to 0.99"),
    (lambda: expected_attempts(0.1, -1), "retries must be an int from 0 to 1,000"),
    (lambda: rl.theory.retry_amplification(0, 3), "tries must be an int from 1 to 100"),
    (lambda: rl.theory.false_timeout_rate(1.0, 3.0), "latency must be a distribution"),
])
def test_bad_arguments_name_the_parameter(call, message):
    with pytest.raises(ValueError, match=message):
        call()
