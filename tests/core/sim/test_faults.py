"""Fault schedules: crash a process or a whole node, at set times or at random."""

import pytest

from reactive_lab.core import Deterministic, Exponential
from reactive_lab.core.sim import Simulation, availability, crash_at, crash_randomly


def _box():
    sim = Simulation()
    for name in ("db", "cache"):
        sim.spawn(name, lambda ctx, body: None, node="box")
    sim.spawn("elsewhere", lambda ctx, body: None)
    return sim


def test_crashing_a_node_crashes_every_process_on_it_and_only_those():
    sim = _box()
    crash_at(sim, "box", at=1.0, restart_after=2.0)
    sim.run(until=2.0)
    assert [sim.processes[n].alive for n in ("db", "cache", "elsewhere")] == [False, False, True]
    sim.run(until=4.0)
    assert sim.processes["db"].alive and sim.processes["db"].outages == [[1.0, 3.0]]


def test_a_crash_without_restart_stays_down():
    sim = _box()
    crash_at(sim, "db", at=1.0)
    sim.run(until=100.0)
    assert sim.processes["db"].outages == [[1.0, None]]
    assert availability(sim, "db") == pytest.approx(0.01)


def test_random_crashes_stop_after_their_stop_time():
    sim = _box()
    crash_randomly(sim, "elsewhere", time_to_crash=Exponential(1.0),
                   time_to_restart=Deterministic(0.1), stop=50.0)
    sim.run(until=500.0)
    outages = sim.processes["elsewhere"].outages
    assert len(outages) > 10 and all(start <= 50.0 for start, _ in outages)
    assert sim.processes["elsewhere"].alive


@pytest.mark.parametrize(
    "call, rule",
    [
        (lambda sim: crash_at(sim, "nowhere", at=1.0), "target must be a process or a node"),
        (lambda sim: crash_at(sim, "db", at=-1.0), "at must be a number of at least 0"),
        (lambda sim: crash_at(sim, "db", at=1.0, restart_after=0), "restart_after must be"),
        (lambda sim: crash_randomly(sim, "db", time_to_crash=5.0,
                                    time_to_restart=Exponential(1.0)),
         "time_to_crash must be a distribution"),
    ],
)
def test_bad_fault_schedules_are_refused(call, rule):
    with pytest.raises(ValueError, match=rule):
        call(_box())
