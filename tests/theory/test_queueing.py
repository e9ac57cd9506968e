"""Closed forms: Erlang B and C, M/M/1, M/M/c percentiles, Little's law, staffing."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

import reactive_lab as rl
from reactive_lab.theory import (
    erlang_b,
    erlang_c,
    littles_law,
    mm1,
    mmc,
    servers_for_response_target,
)


def _erlang_b_by_factorials(c: int, a: float) -> float:
    """The textbook sum, independent of the recursion under test (fine for small c)."""
    return (a**c / math.factorial(c)) / sum(a**k / math.factorial(k) for k in range(c + 1))


def _erlang_c_by_factorials(c: int, a: float) -> float:
    top = a**c / math.factorial(c) * c / (c - a)
    return top / (sum(a**k / math.factorial(k) for k in range(c)) + top)


@given(a=st.floats(0.0, 50.0))
def test_erlang_b_with_one_server_is_a_over_one_plus_a(a):
    """B(1, a) = a / (1 + a)."""
    assert erlang_b(1, a) == pytest.approx(a / (1 + a))


@given(a=st.floats(0.0, 0.999))
def test_erlang_c_with_one_server_is_the_utilisation(a):
    """C(1, a) = a: a lone server is busy, so an arrival waits, with probability rho."""
    assert erlang_c(1, a) == pytest.approx(a)


@pytest.mark.parametrize(
    ("c", "a"),
    [(2, 1.0), (4, 3.6), (10, 5.0), (10, 9.5), (25, 20.0), (50, 45.0)],
)
def test_erlang_b_and_c_match_the_factorial_formulas(c, a):
    """The stable recursion agrees with the textbook factorial sums."""
    assert erlang_b(c, a) == pytest.approx(_erlang_b_by_factorials(c, a), rel=1e-10)
    assert erlang_c(c, a) == pytest.approx(_erlang_c_by_factorials(c, a), rel=1e-10)


def test_erlang_values_from_published_tables():
    """B(10, 5) = 0.01838 (Erlang B tables) and C(2, 1) = 1/3."""
    assert erlang_b(10, 5.0) == pytest.approx(0.018385, abs=1e-6)
    assert erlang_c(2, 1.0) == pytest.approx(1 / 3)


def test_erlang_b_stays_finite_for_large_systems():
    """The recursion handles thousands of servers where factorials would overflow."""
    assert 0 < erlang_b(5_000, 4_900.0) < 1
    assert 0 < erlang_c(5_000, 4_900.0) < 1


@given(rho=st.floats(0.01, 0.99), mu=st.floats(0.1, 10.0))
def test_mm1_matches_its_closed_forms(rho, mu):
    """M/M/1: W = 1/(mu-lambda), Wq = rho W, L = rho/(1-rho), Lq = rho^2/(1-rho)."""
    lam = rho * mu
    m = mm1(lam, mu)
    assert m.utilisation == pytest.approx(rho)
    assert m.wait_probability == pytest.approx(rho)
    assert m.mean_response == pytest.approx(1 / (mu - lam))
    assert m.mean_wait == pytest.approx(rho / (mu - lam))
    assert m.mean_in_system == pytest.approx(rho / (1 - rho))
    assert m.mean_in_queue == pytest.approx(rho**2 / (1 - rho))


@pytest.mark.parametrize("q", [50, 90, 99, 99.9])
def test_mm1_response_percentile_is_exponential(q):
    """M/M/1 response time is Exp(mu - lambda), so its q-th percentile is -ln(1-q)/(mu-lambda)."""
    m = mm1(0.7, 1.0)
    assert m.response_percentile(q) == pytest.approx(-math.log(1 - q / 100) / 0.3, rel=1e-9)


@given(
    servers=st.integers(1, 30),
    rho=st.floats(0.05, 0.98),
    q=st.floats(1.0, 99.9),
)
def test_response_percentile_inverts_the_tail(servers, rho, q):
    """P(T > t_q) = 1 - q/100 at the computed percentile, and t_q exceeds the wait's."""
    m = mmc(rho * servers, 1.0, servers)
    t = m.response_percentile(q)
    assert m.response_tail(t) == pytest.approx(1 - q / 100, rel=1e-6)
    assert t > m.wait_percentile(q)


def test_response_tail_uses_the_limit_when_drain_rate_equals_service_rate():
    """With c mu - lambda = mu, P(T > t) = (1 - C) e^{-mu t} + C (1 + mu t) e^{-mu t}."""
    m = mmc(arrival_rate=1.0, service_rate=1.0, servers=2)  # theta = 2 - 1 = mu
    c, t = m.wait_probability, 2.5
    expected = (1 - c) * math.exp(-t) + c * (1 + t) * math.exp(-t)
    assert m.response_tail(t) == pytest.approx(expected, rel=1e-12)
    # and nearby systems approach it continuously
    near = mmc(arrival_rate=1.0 + 1e-7, service_rate=1.0, servers=2)
    assert near.response_tail(t) == pytest.approx(expected, rel=1e-5)


def test_wait_percentile_is_zero_when_most_customers_do_not_wait():
    """If fewer than 1-q of arrivals wait, the q-th percentile wait is 0."""
    m = mmc(1.0, 1.0, servers=4)
    assert m.wait_probability < 0.1
    assert m.wait_percentile(90) == 0.0
    assert m.wait_percentile(99.9) > 0


def test_mmc_satisfies_littles_law():
    """L = lambda W and Lq = lambda Wq in the M/M/c metrics."""
    m = mmc(7.0, 2.0, servers=4)
    assert m.mean_in_system == pytest.approx(littles_law(7.0, m.mean_response))
    assert m.mean_in_queue == pytest.approx(7.0 * m.mean_wait)


def test_littles_law_solves_for_the_missing_quantity():
    """Any two of lambda, W, L give the third."""
    assert littles_law(arrival_rate=4.0, mean_time=0.5) == 2.0
    assert littles_law(arrival_rate=4.0, mean_number=2.0) == 0.5
    assert littles_law(mean_time=0.5, mean_number=2.0) == 4.0


@pytest.mark.parametrize("target", [4.7, 6.0, 10.0])  # p99 of service alone is 4.61
def test_servers_for_response_target_is_the_smallest_that_meets_it(target):
    """The answer meets the target and one server fewer does not (or is unstable)."""
    c = servers_for_response_target(20.0, 1.0, target=target, q=99)
    assert mmc(20.0, 1.0, c).response_percentile(99) <= target
    if c - 1 > 20:
        assert mmc(20.0, 1.0, c - 1).response_percentile(99) > target


def test_servers_needed_grows_as_the_target_tightens():
    """A tighter latency target never needs fewer servers."""
    targets = [20.0, 10.0, 7.0, 6.0, 5.0, 4.7]  # p99 of service alone is ln(100) = 4.61
    needed = [servers_for_response_target(50.0, 1.0, t) for t in targets]
    assert needed == sorted(needed)
    assert needed[0] < needed[-1]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: erlang_b(0, 1.0), r"servers must be an int from 1 to 10,000,000 \(got 0\)"),
        (lambda: erlang_b(2, -1.0), r"offered_load must be a number of at least 0 \(got -1.0\)"),
        (lambda: erlang_c(2, 2.0), r"utilisation must be below 1 \(got 1\)"),
        (lambda: erlang_c(2.0, 1.0), r"servers must be an int from 1 to 10,000,000 \(got 2.0\)"),
        (lambda: mm1(1.05, 1.0), r"utilisation must be below 1 \(got 1.05\).*without bound"),
        (lambda: mmc(1.0, 0.0, 2), r"service_rate must be a number above 0 \(got 0.0\)"),
        (lambda: mmc(-1.0, 1.0, 2), r"arrival_rate must be a number above 0 \(got -1.0\)"),
        (lambda: mmc(1.0, 1.0, 0), r"servers must be an int from 1 to 10,000,000 \(got 0\)"),
        (
            lambda: mm1(0.5, 1.0).response_percentile(100),
            r"q must be a number strictly between 0 and 100 \(got 100\)",
        ),
        (
            lambda: mm1(0.5, 1.0).wait_percentile(0),
            r"q must be a number strictly between 0 and 100 \(got 0\)",
        ),
        (lambda: littles_law(arrival_rate=1.0), "exactly one of"),
        (lambda: littles_law(1.0, 2.0, 3.0), "exactly one of"),
        (
            lambda: littles_law(mean_time=0.0, mean_number=1.0),
            r"mean_time must be a number above 0 \(got 0.0\)",
        ),
        (
            lambda: littles_law(arrival_rate=-1.0, mean_time=1.0),
            r"arrival_rate must be a number of at least 0 \(got -1.0\)",
        ),
        (lambda: servers_for_response_target(3.6, 1.0, target=4.0), "target must exceed"),
        (
            lambda: servers_for_response_target(3.6, 1.0, target=0.0),
            r"target must be a number above 0 \(got 0.0\)",
        ),
        (
            lambda: servers_for_response_target(3.6, 1.0, target=5.0, q=100),
            r"q must be a number strictly between 0 and 100 \(got 100\)",
        ),
    ],
)
def test_theory_rejects_bad_input(call, message):
    """Nonsense parameters raise ValueError that names the parameter and the rule."""
    with pytest.raises(ValueError, match=message):
        call()


def test_package_docstring_example():
    """rl.theory.erlang_c(servers=2, offered_load=1.0) is 1/3, as the package docs say."""
    assert round(rl.theory.erlang_c(servers=2, offered_load=1.0), 4) == 0.3333
