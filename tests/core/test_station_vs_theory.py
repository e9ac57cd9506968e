"""The simulated M/M/c station agrees with the closed forms of reactive_lab.theory.

Each case runs one long seeded simulation, drops a warm-up (a tenth of the customers, many
relaxation times even at rho = 0.95), and builds a 99% batch-means confidence interval (30
batches) for the quantity; the theory value must lie inside it. To keep the check from
passing on a uselessly wide interval, the half-width must also be small: under 10% of the
mean wait, under 0.02 for the probability of waiting and under 0.03 for the fraction below
a percentile (the median indicator is the most correlated at rho = 0.95). Heavy traffic
needs longer runs because the waits are more correlated (relaxation time grows like 1/(1 -
sqrt(rho))^2). Measured 99% half-widths, relative to the mean wait, are 2-5% at rho
0.5-0.8 (400k customers) and about 6.5% at rho 0.95 (2M customers). The whole file runs in
a few seconds.
"""

import math

import pytest

import reactive_lab as rl

SEED = 2024

CASES = [
    # (servers, utilisation): M/M/1, M/M/2 and M/M/4 at light, busy and heavy load
    (servers, rho)
    for servers in (1, 2, 4)
    for rho in (0.5, 0.8, 0.95)
]


@pytest.fixture(scope="module", params=CASES, ids=lambda case: f"c{case[0]}-rho{case[1]}")
def case(request):
    servers, rho = request.param
    customers = 2_000_000 if rho > 0.9 else 400_000
    run = rl.core.simulate_mmc(
        arrival_rate=rho * servers,
        service_rate=1.0,
        servers=servers,
        customers=customers,
        seed=SEED,
        warmup=customers // 10,
    )
    return run, rl.theory.mmc(rho * servers, 1.0, servers)


def test_mean_wait_matches_erlang_c(case):
    """The theory's mean wait lies in the run's 99% batch-means interval, which is tight."""
    run, theory = case
    ci = rl.core.batch_means_ci(run.waits, batches=30, confidence=0.99)
    assert ci.contains(theory.mean_wait), (ci, theory.mean_wait)
    assert ci.half_width < 0.10 * theory.mean_wait, ci


def test_wait_probability_matches_erlang_c(case):
    """The fraction of customers who wait matches Erlang C within the 99% interval."""
    run, theory = case
    ci = rl.core.batch_means_ci(run.waits > 0, batches=30, confidence=0.99)
    assert ci.contains(theory.wait_probability), (ci, theory.wait_probability)
    assert ci.half_width < 0.02, ci


@pytest.mark.parametrize("q", [50, 95])
def test_response_percentile_matches_theory(case, q):
    """The fraction of responses below the theory's q-th percentile is q% (99% interval).

    Batch means of the indicator "response <= theory percentile" respect the correlation
    between neighbouring customers, which a plain binomial interval would ignore.
    """
    run, theory = case
    below = run.response_times <= theory.response_percentile(q)
    ci = rl.core.batch_means_ci(below, batches=30, confidence=0.99)
    assert ci.contains(q / 100), (ci, q)
    assert ci.half_width < 0.03, ci


def test_utilisation_and_throughput_match_the_offered_load(case):
    """Busy fraction is rho and throughput is lambda, within 99.9% normal bands (under 2%).

    The window is n - 1 independent exponential gaps plus the last customer's overhang
    (finish after the last arrival), so throughput n / span has relative spread about
    1/sqrt(n); the busy time is a sum of n independent service times, so utilisation,
    busy / (c span), has relative spread about sqrt(2/n). The overhang is a known bias,
    measured on the run and added.
    """
    run, theory = case
    z, n = rl.core.normal_quantile(0.999), run.customers
    overhang = (run.span - (run.arrival_times[-1] - run.arrival_times[0])) / run.span
    throughput_tolerance = z * math.sqrt(1 / n) + overhang
    utilisation_tolerance = z * math.sqrt(2 / n) + overhang
    assert max(throughput_tolerance, utilisation_tolerance) < 0.02
    assert run.utilisation == pytest.approx(theory.utilisation, rel=utilisation_tolerance)
    assert run.throughput == pytest.approx(theory.arrival_rate, rel=throughput_tolerance)
