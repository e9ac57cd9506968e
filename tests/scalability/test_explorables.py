"""Chapter 4's explorables: frames state the numbers they draw, computed by the models."""

import math
import re

import pytest

import reactive_lab as rl
from reactive_lab.scalability import capacity, explorables, loadtest, overload

SEED = explorables.SEED


def test_sizing_frame_quotes_the_plan_of_the_theory():
    frame = explorables.sizing().frame(arrival_rate=900.0, failures=1)
    plan = capacity.sizing_plan(900.0, 1, customers=20_000, seed=SEED)
    bare = rl.theory.servers_for_service_level(
        900.0, rl.relay.LOGIC_SERVICE_RATE, rl.relay.LOGIC_WAIT_OBJECTIVE,
        rl.relay.LOGIC_SERVICE_LEVEL)
    assert plan.for_objective == bare
    assert f"objective alone: {bare} nodes" in frame.readout
    assert f"N+1: {plan.nodes} nodes" in frame.readout
    assert f"N+1 for {plan.nodes}" in frame.alt
    other = explorables.sizing().frame(arrival_rate=1800.0, failures=1)
    assert other.image != frame.image and other.readout != frame.readout


def test_sizing_plan_keeps_headroom_and_spares():
    """Spares on top of headroom; the simulated service level at the bare size holds
    Erlang C inside its 99% batch-means interval."""
    plan = capacity.sizing_plan(1200.0, failures=2, customers=200_000, seed=1)
    assert plan.nodes == plan.with_headroom + 2
    assert plan.survivor_utilisation <= rl.relay.MAX_UTILISATION + 1e-12
    assert plan.simulated_level.contains(plan.theory_level)
    assert plan.simulated_level.half_width < 0.015


def test_regulators_frame_quotes_its_run():
    frame = explorables.regulators().frame(regulator="concurrency limit", load=2.0)
    run = overload.overload_run("concurrency limit", 2.0, seconds=10.0, seed=SEED)
    assert f"longest queue {run.max_queue}" in frame.readout
    assert f"goodput {run.goodput:.0f}/s" in frame.readout
    unregulated = explorables.regulators().frame(regulator="none", load=2.0)
    assert unregulated.readout != frame.readout and unregulated.image != frame.image


def test_metastability_frame_says_whether_it_recovered():
    stuck = explorables.metastability().frame(defence="none", retries=2)
    assert "never (metastable)" in stuck.readout
    budget = explorables.metastability().frame(defence="retry budget", retries=2)
    run = overload.spike_run("retry budget", 2, seed=SEED)
    assert f"at {run.recovered_at:.0f} s" in budget.readout
    assert budget.image != stuck.image


def test_back_pressure_frame_quotes_the_mailbox():
    frame = explorables.back_pressure().frame(mode="cast", rate=150.0)
    run = rl.scalability.producer_consumer("cast", 150.0, seconds=20.0, seed=SEED)
    assert f"mailbox at the end {int(run.consumer_queue[-1])}" in frame.readout
    credits = explorables.back_pressure().frame(mode="credits", rate=150.0)
    assert credits.readout != frame.readout


@pytest.mark.parametrize("largest", [8, 32])
def test_usl_fit_frame_quotes_the_fit_of_the_tested_sizes(largest):
    test = loadtest.relay_load_test(SEED)
    used = test.sizes <= largest
    fit = rl.theory.fit_usl(test.sizes[used], test.throughput[used])
    frame = explorables.usl_fit().frame(largest=largest)
    assert f"κ = {fit.coherency:.5f}" in frame.readout
    if math.isinf(fit.peak_interval[1]):
        assert "∞" in frame.readout
    else:
        assert f"{fit.peak_interval[1]:.0f})" in frame.readout


def test_sizing_never_claims_a_zero_width_interval():
    """Where the simulation saw no late message, the readout says the run was too short
    for the tail, instead of "100.00% ± 0.00%"."""
    readouts = [explorables.sizing().frame(arrival_rate=rate, failures=1).readout
                for rate in explorables.sizing().controls[0].values]
    assert not any("± 0.00%" in r for r in readouts)
    assert any("none late, too short a run" in r for r in readouts)
    assert any(re.search(r"simulated \d+\.\d\d% ± \d", r) for r in readouts)
