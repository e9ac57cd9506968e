"""The chapter 2 explorables: each builds, stays within the frame budget, and says true numbers.

Expected numbers come from the models or the closed forms directly, never from the
explorable's drawing code.
"""

import pytest

import reactive_lab as rl
from reactive_lab.explore import MAX_FRAMES, REGISTRY
from reactive_lab.interfaces import explorables as ex

FACTORIES = [ex.timeout_tail, ex.race, ex.replication_lag, ex.quorum_tradeoffs]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f.__name__)
def test_explorable_builds_within_frame_budget_and_is_registered(factory):
    explorable = factory()
    assert 1 < explorable.frames <= MAX_FRAMES
    pages = [page for page, name in REGISTRY if name == factory.__name__]
    assert len(pages) == 1 and pages[0].startswith("chapters/02-interfaces/")


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f.__name__)
def test_every_control_changes_the_frame(factory):
    """Moving each control from its first to its last value changes picture and readout."""
    explorable = factory()
    base = explorable.defaults()
    for control in explorable.controls:
        first = explorable.frame(**{**base, control.name: control.values[0]})
        last = explorable.frame(**{**base, control.name: control.values[-1]})
        assert first.image.startswith(PNG_SIGNATURE) and len(first.alt) > 80
        assert first.image != last.image and first.readout != last.readout


def test_timeout_readout_states_the_exact_tail():
    p = rl.theory.false_timeout_rate(rl.relay.LOOKUP_MS, 20.0)
    frame = ex.timeout_tail().frame(timeout=20.0, retries=1)
    assert f"{p:.1%} exact" in frame.readout
    assert f"{rl.theory.expected_attempts(p, 1):.3f} exact" in frame.readout


def test_quorum_readout_states_pbs_and_availability():
    n = ex.QUORUM_N
    frame = ex.quorum_tradeoffs().frame(r=1, w=2)
    assert f"random quorums (PBS): {rl.theory.k_staleness(n, 1, 2):.0%}" in frame.readout
    assert f"writes possible {rl.theory.quorum_availability(n, 2, 0.9):.3%}" in frame.readout
    assert "never stale" in ex.quorum_tradeoffs().frame(r=3, w=3).readout


def test_sync_replication_frame_loses_nothing():
    frame = ex.replication_lag().frame(replication="sync", write_rate=500)
    assert "mean 0.00 simulated, 0.00 by Little's law" in frame.readout


def test_race_readout_counts_the_calls_of_the_model():
    result = rl.interfaces.retry_race(rl.interfaces.POLICIES["full jitter"], clients=10, seed=3)
    frame = ex.race().frame(policy="full jitter", clients=10)
    assert f"calls the resource answered: {result.calls:,}" in frame.readout
