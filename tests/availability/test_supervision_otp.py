"""Supervisors on real OTP, and the course's Supervisor model held to the same facts.

``supervision_facts.escript`` starts real OTP supervisors (Erlang/OTP's ``supervisor``
module) over ``relay_worker`` children, crashes children, and prints what happened. One
of its supervisors is the ``relay_logic_sup`` module shown in the Erlang tab of
``chapters/03-availability/supervision.md``, compiled from the page itself. Each fact is
checked twice: as OTP printed it, and on :class:`reactive_lab.availability.Supervisor`
under the same crash schedule.
"""

import re
import shutil
from pathlib import Path

import pytest

from reactive_lab.availability import DeterministicFault, Supervisor, Worker
from reactive_lab.core.sim import Simulation, crash_at
from tests.beam import beam_facts

HERE = Path(__file__).parent
PAGE = HERE.parents[1] / "chapters" / "03-availability" / "supervision.md"
FENCE = re.compile(r"```\{code-block\} erlang\n(.*?)```", re.S)

EXPECTED = {
    "defaults_first_crash_restarted": "true",
    "defaults_second_fast_crash": "{down,shutdown}",
    "defaults_crashes_6500ms_apart": "alive",
    "intensity3_three_crashes_restarted": "true",
    "intensity3_fourth_crash": "{down,shutdown}",
    "one_for_one_crash_b_restarts": "[b]",
    "one_for_all_crash_b_restarts": "[a,b,c]",
    "rest_for_one_crash_b_restarts": "[b,c]",
    "escalation_mid_gave_up_and_was_restarted": "true",
    "escalation_root_after_one_give_up": "alive",
    "escalation_root_after_two_give_ups": "{down,shutdown}",
    "deterministic_supervisor_exit": "shutdown",
    "deterministic_child_starts": "2",
    "page_sup_crash_router_restarts": "[router,presence]",
    "page_sup_second_fast_crash": "{down,shutdown}",
}


def page_supervisor() -> str:
    """The page's Erlang tab that defines relay_logic_sup."""
    snippets = [s for s in FENCE.findall(PAGE.read_text("utf8")) if "relay_logic_sup" in s]
    assert len(snippets) == 1, "the supervision page shows relay_logic_sup once"
    return snippets[0]


@pytest.fixture(scope="module")
def otp(tmp_path_factory):
    work = tmp_path_factory.mktemp("otp")
    shutil.copy(HERE / "relay_worker.erl", work)
    (work / "relay_logic_sup.erl").write_text(
        "-module(relay_logic_sup).\n-export([start_link/0, init/1]).\n" + page_supervisor())
    return beam_facts("escript", HERE / "supervision_facts.escript", work, timeout=120)


@pytest.mark.parametrize("fact", sorted(EXPECTED))
def test_otp_supervisor_behaves_as_the_page_says(otp, fact):
    assert otp[fact] == EXPECTED[fact]


def test_elixir_supervisor_defaults_allow_three_restarts_in_five_seconds():
    """Elixir's Supervisor defaults differ from OTP's: max_restarts 3, max_seconds 5."""
    facts = beam_facts("elixir", HERE / "elixir_supervisor_defaults.exs", timeout=120)
    assert facts == {"elixir_three_crashes": "[:restarted, :restarted, :restarted]",
                     "elixir_fourth_crash": "{:down, :shutdown}"}


# -- the model, under the same schedules ---------------------------------------------


def run(children, crashes, until=20.0, **flags):
    """Start a supervisor over *children*, crash (name, at) pairs, return it and the run."""
    sim = Simulation(seed=1)
    sup = Supervisor(sim, "sup", children, **flags)
    for name, at in crashes:
        crash_at(sim, name, at=at)
    sim.run(until=until)
    return sup, sim


def test_model_defaults_are_otps():
    sup, _ = run([Worker("w")], [])
    assert (sup.strategy, sup.intensity, sup.period) == ("one_for_one", 1, 5.0)


@pytest.mark.parametrize("gap, gives_up", [
    (0.2, True),    # two crashes 200 ms apart: more than 1 restart in 5 s
    (6.5, False),   # 6.5 s apart: the first restart has left the window
])
def test_model_defaults_give_up_on_the_second_fast_crash(gap, gives_up):
    sup, sim = run([Worker("w")], [("w", 1.0), ("w", 1.0 + gap)])
    assert bool(sup.gave_up) is gives_up
    assert sim.processes["sup"].alive is not gives_up


def test_model_intensity_three_allows_three_restarts():
    crashes = [("w", 1.0 + 0.2 * i) for i in range(4)]
    three, _ = run([Worker("w")], crashes[:3], intensity=3)
    four, _ = run([Worker("w")], crashes, intensity=3)
    assert (three.restarts, three.gave_up) == (3, [])
    assert four.restarts == 3 and len(four.gave_up) == 1


@pytest.mark.parametrize("strategy, restarted", [
    ("one_for_one", ["b"]),
    ("one_for_all", ["a", "b", "c"]),
    ("rest_for_one", ["b", "c"]),
])
def test_model_strategies_restart_the_children_otp_restarts(strategy, restarted):
    _, sim = run([Worker(n) for n in "abc"], [("b", 1.0)], strategy=strategy, intensity=5)
    assert [n for n in "abc" if sim.processes[n].outages] == restarted
    assert all(sim.processes[n].alive for n in "abc")


def test_model_escalates_a_give_up_to_the_parent():
    """mid gives up twice; root restarts it once, and gives up itself the second time."""
    mid = Supervisor(None, "mid", [Worker("w")])
    sim = Simulation(seed=1)
    root = Supervisor(sim, "root", [mid])
    for at in (1.0, 1.2):
        crash_at(sim, "w", at=at)
    sim.run(until=2.0)
    assert (len(mid.gave_up), root.restarts, root.gave_up) == (1, 1, [])
    assert sim.processes["w"].alive and sim.processes["mid"].alive
    for at in (2.2, 2.4):
        crash_at(sim, "w", at=at)
    sim.run(until=3.0)
    assert len(root.gave_up) == 1 and not sim.processes["root"].alive


def test_model_gives_up_on_a_deterministic_fault_after_two_starts():
    """A child that crashes 100 ms after each start: started twice, then shutdown."""
    sup, sim = run([Worker("w", DeterministicFault(at=0.0, crash_after=0.1))], [])
    assert sup.restarts == 1 and len(sup.gave_up) == 1
    assert len(sim.processes["w"].outages) == 2
    assert not sim.processes["sup"].alive


def test_model_of_the_page_supervisor_restarts_router_and_presence():
    names = ["store_conn", "router", "presence"]
    sup, sim = run([Worker(n) for n in names], [("router", 1.0)], strategy="rest_for_one")
    assert [n for n in names if sim.processes[n].outages] == ["router", "presence"]
    sup, sim = run([Worker(n) for n in names], [("router", 1.0), ("store_conn", 1.2)],
                   strategy="rest_for_one")
    assert len(sup.gave_up) == 1
