"""The fast station: equal to the simpy model, deterministic, well-formed, guarded."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import reactive_lab as rl
from reactive_lab.core import (
    Deterministic,
    Erlang,
    Exponential,
    Hyperexponential,
    LogNormal,
    Uniform,
    simulate_mmc,
    simulate_station,
    simulate_station_simpy,
)


@pytest.mark.parametrize(
    ("arrival", "service", "servers"),
    [
        (Exponential(0.9), Exponential(1.0), 1),  # M/M/1 at rho 0.9
        (Exponential(2.4), Exponential(1.0), 3),  # M/M/3 at rho 0.8
        (Exponential(0.7), LogNormal(1.0, 2.0), 1),  # heavy-tailed service
        (Exponential(2.7), LogNormal(1.0, 2.0), 3),
        (Deterministic(1.0), Deterministic(1.5), 2),  # every arrival ties with a departure
        (Hyperexponential((0.5, 0.5), (4.0, 1.0)), Erlang(3, 4.0), 2),
    ],
)
def test_station_matches_simpy_customer_by_customer(arrival, service, servers):
    """The recursion and the process-per-customer simpy model give identical times."""
    fast = simulate_station(arrival, service, servers=servers, customers=3_000, seed=11)
    reference = simulate_station_simpy(arrival, service, servers=servers, customers=3_000, seed=11)
    np.testing.assert_array_equal(fast.arrival_times, reference.arrival_times)
    np.testing.assert_array_equal(fast.start_times, reference.start_times)
    np.testing.assert_array_equal(fast.finish_times, reference.finish_times)


def test_station_and_simpy_drop_the_same_warmup():
    """Both models drop the same first customers."""
    args = (Exponential(1.8), Exponential(1.0))
    fast = simulate_station(*args, servers=2, customers=500, seed=3, warmup=100)
    reference = simulate_station_simpy(*args, servers=2, customers=500, seed=3, warmup=100)
    assert fast.customers == reference.customers == 400
    np.testing.assert_array_equal(fast.finish_times, reference.finish_times)


def test_same_seed_gives_identical_runs():
    """A seeded run repeats exactly."""
    first = simulate_mmc(3.0, 1.0, servers=4, customers=2_000, seed=42)
    again = simulate_mmc(3.0, 1.0, servers=4, customers=2_000, seed=42)
    for name in ("arrival_times", "start_times", "finish_times"):
        np.testing.assert_array_equal(getattr(first, name), getattr(again, name))


def test_different_seeds_give_different_runs():
    """Changing the seed changes the sample path."""
    first = simulate_mmc(3.0, 1.0, servers=4, customers=2_000, seed=42)
    other = simulate_mmc(3.0, 1.0, servers=4, customers=2_000, seed=43)
    assert not np.array_equal(first.finish_times, other.finish_times)


def test_a_generator_seed_is_used_as_the_stream():
    """Passing a Generator draws from it, so two equal generators give equal runs."""
    first = simulate_mmc(0.5, 1.0, customers=100, seed=np.random.default_rng(9))
    again = simulate_mmc(0.5, 1.0, customers=100, seed=rl.core.rng(9))
    np.testing.assert_array_equal(first.finish_times, again.finish_times)


def test_deterministic_station_has_known_sample_path():
    """D/D/1 with service longer than the gap queues up linearly: waits 0, 0.5, 1.0, ..."""
    run = simulate_station(Deterministic(1.0), Deterministic(0.5), customers=4)
    assert run.waits.tolist() == [0.0, 0.0, 0.0, 0.0]
    run = simulate_station(Deterministic(1.0), Deterministic(1.0), servers=2, customers=4)
    assert run.start_times.tolist() == [1.0, 2.0, 3.0, 4.0]
    assert run.throughput == pytest.approx(4 / 4.0)  # window: first arrival 1 to last finish 5


def test_little_law_holds_on_the_sample_path():
    """Time-average number in system equals throughput x mean response time.

    The window runs from the first kept arrival to the last kept departure, so every kept
    customer's stay lies entirely inside it and there are no edge effects: the integral of
    N(t) equals the sum of response times exactly, and only float rounding (relative
    ~1e-12 over 10^5 terms) separates the two sides.
    """
    run = simulate_mmc(3.6, 1.0, servers=4, customers=100_000, seed=5, warmup=10_000)
    expected = run.throughput * run.response_times.mean()
    assert run.mean_in_system() == pytest.approx(expected, rel=1e-9)
    # and it is the theory's L: the 99.9% batch-means interval of L = throughput * W holds
    # it (throughput is a constant factor here; its own error, ~1/sqrt(90,000) = 0.3%, is
    # below a tenth of the interval's), and that interval is within 25% of L
    theory = rl.theory.mmc(3.6, 1.0, 4).mean_in_system
    ci = rl.core.batch_means_ci(run.throughput * run.response_times, confidence=0.999)
    assert ci.mean == pytest.approx(run.mean_in_system(), rel=1e-9)
    assert ci.contains(theory), (ci, theory)
    assert ci.half_width < 0.25 * theory


def test_time_average_in_system_is_the_area_under_n_of_t_over_the_window():
    """Two overlapping stays: N(t) = 1, 2, 1 over 1, 1, 2 s, so the average is 5/4."""
    assert rl.core.time_average_in_system([0.0, 1.0], [2.0, 4.0]) == 1.25
    # with no overlap the area is the sum of the stays
    assert rl.core.time_average_in_system([0.0, 5.0], [1.0, 6.0]) == pytest.approx(2 / 6)


def test_fifo_start_times_is_lindley_for_one_server_and_reuses_the_freest_server():
    """One server: start = max(arrival, previous finish). Two: the earliest-free server."""
    arrivals, services = [0.0, 0.5, 0.6, 4.0], [1.0, 1.0, 1.0, 1.0]
    assert rl.core.fifo_start_times(arrivals, services).tolist() == [0.0, 1.0, 2.0, 4.0]
    assert rl.core.fifo_start_times(arrivals, services, servers=2).tolist() == [
        0.0, 0.5, 1.0, 4.0
    ]
    with pytest.raises(ValueError, match=r"service_times must hold one entry per arrival "
                                         r"\(got 3 for 4 arrivals\)"):
        rl.core.fifo_start_times(arrivals, services[:3])
    with pytest.raises(ValueError, match=r"servers must be an int from 1 to 10,000 \(got 0\)"):
        rl.core.fifo_start_times(arrivals, services, servers=0)


def test_station_run_is_read_only():
    """A run's arrays cannot be edited by accident."""
    run = simulate_mmc(0.5, 1.0, customers=10, seed=1)
    with pytest.raises(ValueError, match="read-only"):
        run.start_times[0] = 0.0


def _with_mean(kind: str, mean: float):
    return {
        "exponential": Exponential(1 / mean),
        "deterministic": Deterministic(mean),
        "erlang": Erlang(3, 3 / mean),
        "uniform": Uniform(0.0, 2 * mean),
        "lognormal": LogNormal(mean, 1.5),
        "hyperexponential": Hyperexponential((0.8, 0.2), (1.6 / mean, 0.4 / mean)),
    }[kind]


kinds = st.sampled_from(
    ["exponential", "deterministic", "erlang", "uniform", "lognormal", "hyperexponential"]
)


@settings(max_examples=60, deadline=None)
@given(
    arrival_kind=kinds,
    service_kind=kinds,
    servers=st.integers(1, 5),
    rho=st.floats(0.05, 0.98),
    customers=st.integers(1, 300),
    seed=st.integers(0, 2**32),
)
def test_station_sample_path_is_a_fifo_c_server_queue(
    arrival_kind, service_kind, servers, rho, customers, seed
):
    """Finish >= start >= arrival, starts in arrival order, never more than c in service,
    and a customer who waits starts exactly when an earlier customer leaves."""
    service = _with_mean(service_kind, 1.0)
    arrival = _with_mean(arrival_kind, 1.0 / (rho * servers))
    run = simulate_station(arrival, service, servers=servers, customers=customers, seed=seed)
    assert (run.start_times >= run.arrival_times).all()
    assert (run.finish_times >= run.start_times).all()
    assert (np.diff(run.start_times) >= 0).all()
    # sweep: at equal times a departure frees its server before an arrival takes it
    times = np.concatenate([run.start_times, run.finish_times])
    steps = np.concatenate([np.ones(customers), -np.ones(customers)])
    order = np.lexsort((steps, times))
    assert np.cumsum(steps[order]).max() <= servers
    finishes = set(run.finish_times.tolist())
    for arrived, started in zip(run.arrival_times, run.start_times):
        if started > arrived:
            assert started in finishes


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"servers": 0}, r"servers must be an int from 1 to 10,000 \(got 0\)"),
        ({"servers": 2.0}, r"servers must be an int from 1 to 10,000 \(got 2.0\)"),
        ({"customers": 0}, r"customers must be an int from 1 to 5,000,000 \(got 0\)"),
        ({"customers": 5_000_001}, r"customers must be an int from 1 to 5,000,000 \(got 5000001"),
        ({"warmup": 100}, r"warmup must be an int from 0 to 99 \(got 100\)"),  # customers=100
        ({"warmup": -1}, r"warmup must be an int from 0 to 99 \(got -1\)"),
        ({"seed": -3}, "seed must be a non-negative int"),
        ({"arrival": Exponential(1.05)}, r"utilisation must be below 1 \(got 1.05\)"),
        ({"arrival": Exponential(1.0)}, "queue grows without bound"),  # rho exactly 1
        ({"arrival": 1.0}, "arrival must be a distribution"),
        ({"service": "fast"}, "service must be a distribution"),
    ],
)
@pytest.mark.parametrize("model", [simulate_station, simulate_station_simpy])
def test_station_rejects_bad_parameters(model, kwargs, message):
    """Each bad argument raises ValueError naming the parameter and the rule."""
    arguments = {"arrival": Exponential(0.5), "service": Exponential(1.0), "customers": 100}
    arguments.update(kwargs)
    with pytest.raises(ValueError, match=message):
        model(**arguments)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((0.0, 1.0), r"arrival_rate must be a number above 0 \(got 0.0\)"),
        ((1.0, -1.0), r"service_rate must be a number above 0 \(got -1.0\)"),
        ((2.0, 1.0), r"utilisation must be below 1 \(got 2\)"),
    ],
)
def test_simulate_mmc_rejects_bad_rates(args, message):
    """simulate_mmc names the rate that is wrong."""
    with pytest.raises(ValueError, match=message):
        simulate_mmc(*args, customers=10)


def test_percentile_rejects_out_of_range_q():
    """A response-time percentile must be between 0 and 100."""
    run = simulate_mmc(0.5, 1.0, customers=10, seed=1)
    with pytest.raises(ValueError, match=r"q must be a number from 0 to 100 \(got 101\)"):
        run.percentile(101)
