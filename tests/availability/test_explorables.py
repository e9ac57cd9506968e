"""The chapter 3 explorables: each builds, stays within the frame budget, and says true numbers.

Expected numbers come from :mod:`reactive_lab.theory` and :mod:`reactive_lab.availability`
directly, never from the explorable's own drawing code.
"""


import reactive_lab as rl
from reactive_lab.availability import explorables as ex


def test_relay_nines_states_the_block_diagram_nines():
    frame = ex.relay_nines().frame(replicas=3, shared="nothing")
    nines = rl.theory.nines(rl.availability.relay_blocks(3).system)
    assert f"{nines:.2f} nines" in frame.readout


def test_detector_readout_states_the_exact_timeout():
    frame = ex.detector_tradeoff().frame(threshold=8, std=0.1)
    assert f"{rl.theory.phi_timeout(8, 1.0, 0.1):.3f} s" in frame.readout


def test_failover_readout_states_detection_plus_takeover():
    frame = ex.failover_timeline().frame(timeout=10, standby="warm (30 s)")
    down = rl.availability.expected_detection(1.0, 0.1, 10) + 30.0
    assert f"{down:.1f} s after the crash" in frame.readout


def test_supervisor_readout_states_the_simulated_give_ups():
    frame = ex.supervisor_under_crashes().frame(mean_time_to_crash=10, intensity=1)
    r = rl.availability.supervised_service("one_for_one", 10, intensity=1,
                                           until=ex.SUPERVISED_S, seed=3)
    assert f"{r.gave_up} give-ups" in frame.readout
