"""The chapter 3 explorables: each builds, stays within the frame budget, and says true numbers.

Expected numbers come from :mod:`reactive_lab.theory` and :mod:`reactive_lab.availability`
directly, never from the explorable's own drawing code.
"""

import pytest

import reactive_lab as rl
from reactive_lab.availability import explorables as ex
from reactive_lab.explore import MAX_FRAMES, REGISTRY

FACTORIES = [ex.relay_nines, ex.supervisor_under_crashes, ex.detector_tradeoff,
             ex.failover_timeline]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f.__name__)
def test_explorable_builds_within_frame_budget_and_is_registered(factory):
    explorable = factory()
    assert 1 < explorable.frames <= MAX_FRAMES
    pages = [page for page, name in REGISTRY if name == factory.__name__]
    assert len(pages) == 1 and pages[0].startswith("chapters/03-availability/")


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f.__name__)
def test_every_control_changes_the_picture_and_the_readout(factory):
    explorable = factory()
    for control in explorable.controls:
        first = explorable.frame(**{control.name: control.values[0]})
        last = explorable.frame(**{control.name: control.values[-1]})
        for frame in (first, last):
            assert frame.image.startswith(PNG_SIGNATURE)
            assert frame.readout and len(frame.alt) > 80
        assert first.image != last.image
        assert first.readout != last.readout


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
