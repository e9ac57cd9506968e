"""The queueing page's explorables: their numbers match the theory they claim to show."""

from __future__ import annotations

import pytest

import reactive_lab as rl
from reactive_lab import queues
from reactive_lab.queues import explorables


@pytest.mark.parametrize("servers, load", [(1, 0.8), (4, 0.9), (16, 0.5)])
def test_load_point_theory_is_the_exact_mmc_percentile(servers, load):
    """The curves' values are rl.theory.mmc percentiles in milliseconds."""
    point = queues.load_point(servers, load)
    exact = rl.theory.mmc(load * servers * queues.SERVICE_RATE, queues.SERVICE_RATE, servers)
    for q in queues.PERCENTILES:
        assert point.theory[q] == pytest.approx(exact.response_percentile(q) * 1000)
    assert point.wait_probability_theory == pytest.approx(exact.wait_probability)


def test_simulated_wait_probability_is_within_a_batch_means_interval_of_erlang_c():
    """The simulated share of requests that wait sits inside a 99.9% batch-means interval
    around Erlang C: consecutive requests' waits are correlated, so the interval comes from
    batches of the same run, not from a binomial formula."""
    point = queues.load_point(4, 0.8)
    arrival_rate = 4 * 0.8 * queues.SERVICE_RATE
    run = rl.core.simulate_mmc(arrival_rate, queues.SERVICE_RATE, 4, queues.CUSTOMERS,
                               seed=queues.pool.SEED, warmup=queues.CUSTOMERS // 10)
    waited = (run.waits > 0).astype(float)
    assert point.wait_probability_simulated == pytest.approx(waited.mean())
    interval = rl.core.batch_means_ci(waited, confidence=0.999)
    assert interval.contains(point.wait_probability_theory)
    assert interval.half_width < 0.05  # and the run is long enough to say something


def test_wait_tail_theory_starts_at_erlang_c_and_decays_at_the_drain_rate():
    """P(W > 0) is Erlang C and the exact tail falls by e at every 1/(cμ−λ)."""
    tail = queues.wait_tail(2, 0.7)
    c = rl.theory.erlang_c(2, 2 * 0.7)
    assert tail.theory_tail[0] == pytest.approx(c)
    assert tail.mean_wait_ms.contains(tail.mean_wait_theory_ms)


@pytest.mark.parametrize(
    "factory", [explorables.latency_vs_load, explorables.simulation_vs_erlang_c])
def test_frames_state_the_numbers_they_show(factory):
    """Readout and alt text carry the parameters and the exact values of the frame."""
    explorable = factory()
    frame = explorable.frame(servers=4, load=0.9)
    assert "4 servers, load 90%" in frame.readout
    assert "4 server(s)" in frame.alt and "90% load" in frame.alt
    other = explorable.frame(servers=1, load=0.9)
    assert other.image != frame.image and other.readout != frame.readout


def test_latency_readout_quotes_exact_p99():
    """The readout's exact p99 is the M/M/c value, rounded to the millisecond."""
    frame = explorables.latency_vs_load().frame(servers=2, load=0.85)
    exact = rl.theory.mmc(170, 100, 2).response_percentile(99) * 1000
    assert f"(exact {exact:.0f})" in frame.readout


def test_variability_point_exact_wait_is_pollaczek_khinchine():
    """The curve's value for each kind of work is the P-K mean wait in milliseconds."""
    for name, work in queues.SERVICE_TIMES.items():
        point = queues.variability_point(name, 0.6, customers=20_000)
        exact = rl.theory.mg1_mean_wait(0.6 / work.mean, work.mean, work.scv) * 1000
        assert point.exact_mean_wait_ms == pytest.approx(exact)
        assert work.mean == pytest.approx(1 / queues.SERVICE_RATE)  # same mean work


def test_variability_frames_quote_their_interval_and_exact_value():
    """The readout gives the simulated mean wait with its CI and the exact value."""
    frame = explorables.variability_vs_load().frame(service="constant", load=0.9)
    point = queues.variability_point("constant", 0.9)
    assert f"exact {point.exact_mean_wait_ms:.1f} ms" in frame.readout
    assert f"± {point.mean_wait_ms.half_width:.1f} ms" in frame.readout
    assert "constant work at 90% load" in frame.alt
