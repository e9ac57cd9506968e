"""Availability algebra and the phi detector's closed forms."""

import math

import pytest
from scipy import stats

import reactive_lab as rl

T = rl.theory


def test_k_of_n_includes_series_and_parallel_as_its_ends():
    a = 0.97
    assert T.k_of_n(1, 4, a) == pytest.approx(T.parallel(a, a, a, a))
    assert T.k_of_n(4, 4, a) == pytest.approx(T.series(a, a, a, a))


def test_majority_of_three_is_the_binomial_tail():
    a = 0.9
    assert T.k_of_n(2, 3, a) == pytest.approx(3 * a**2 - 2 * a**3)


def test_nines_and_downtime_round_trip():
    for n in (2, 3, 4.5, 5):
        a = T.availability_for_nines(n)
        assert T.nines(a) == pytest.approx(n)
        assert T.downtime_per_year(a) == pytest.approx(10**-n * T.SECONDS_PER_YEAR)


def test_phi_is_minus_log10_of_the_normal_tail():
    for elapsed in (0.5, 1.0, 1.3, 2.0):
        tail = stats.norm.sf(elapsed, loc=1.0, scale=0.2)
        assert T.phi(elapsed, 1.0, 0.2) == pytest.approx(-math.log10(tail))


def test_phi_stays_exact_far_in_the_tail():
    """At 20 standard deviations the tail is 2.8e-89: phi 88.56, no overflow to inf."""
    assert T.phi(5.0, 1.0, 0.2) == pytest.approx(-stats.norm.logsf(20) / math.log(10))


def test_phi_timeout_inverts_phi():
    for threshold in (1.0, 3.0, 8.0, 20.0):
        assert T.phi(T.phi_timeout(threshold, 1.0, 0.1), 1.0, 0.1) == pytest.approx(threshold)


def test_akka_phi_matches_its_logistic_formula_and_is_more_suspicious_in_the_tail():
    y = 5.0
    e = math.exp(-y * (1.5976 + 0.070566 * y * y))
    assert T.phi_akka(1.5, 1.0, 0.1) == pytest.approx(-math.log10(e / (1 + e)))
    assert T.phi_akka(1.5, 1.0, 0.1) > T.phi(1.5, 1.0, 0.1)


@pytest.mark.parametrize("call, message", [
    (lambda: T.k_of_n(4, 3, 0.9), "k must be an int from 1 to 3 (got 4)"),
    (lambda: T.series(), "availabilities must be at least one number"),
    (lambda: T.parallel(1.2), "availability must be a number from 0 to 1 (got 1.2)"),
    (lambda: T.steady_state_availability(0, 1), "mtbf must be a number above 0 (got 0)"),
    (lambda: T.phi(1.0, 1.0, 0.0), "std must be a number above 0 (got 0.0)"),
])
def test_bad_input_names_the_parameter(call, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call()
