"""The chapter 2 explorables: each builds, stays within the frame budget, and says true numbers.

Expected numbers come from the models or the closed forms directly, never from the
explorable's drawing code.
"""


import reactive_lab as rl
from reactive_lab.interfaces import explorables as ex


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
