"""Chapter 2's claims about calls, checked on real BEAM nodes on loopback.

``interfaces_semantics.escript`` starts a caller node and a callee node (``peer``), runs
``slow_server`` on the callee and prints one fact per line; ``genserver_semantics.exs``
does the same for Elixir's ``GenServer``. The pages
``chapters/02-interfaces/calls.md`` and ``delivery.md`` state each fact:

- ``gen_server:call/2`` gives up after 5 s and exits ``{timeout, {gen_server, call,
  [Server, Request]}}``; Elixir's ``GenServer.call/2`` after 5000 ms;
- the callee still does the work: a timeout is an unknown outcome, not a failure;
- the late reply is not delivered to the caller (OTP 24 and later use process aliases);
- a caller that does not catch the exit dies of it;
- a cast returns ``ok`` whether or not anyone receives it; a call to a missing name exits
  ``noproc``, to a node that is down ``{nodedown, Node}``.

Each run waits about 9 s of wall time (two 7 s requests, in parallel); nothing here
asserts how long anything took, only what the nodes reported.
"""

import subprocess
from pathlib import Path

import pytest

from tests.beam import beam_tool, parse_facts

HERE = Path(__file__).parent

ERLANG = {
    "remote": "true",
    "call_reply": "done",
    "default_timeout_s": "5",
    "timeout_reason": "timeout_call2",
    "work_done_after_timeout": "1",
    "late_reply": "nothing",
    "uncaught_timeout": "caller_died",
    "cast_to_nobody": "ok",
    "call_to_nobody": "noproc",
    "call_to_down_node": "nodedown",
}
ELIXIR = {"elixir_default_timeout_ms": "5000", "elixir_work_done_after_timeout": "1"}


@pytest.fixture(scope="module")
def facts(tmp_path_factory):
    escript, elixir = beam_tool("escript"), beam_tool("elixir")
    cwd = tmp_path_factory.mktemp("beam")
    runs = [subprocess.Popen([escript, str(HERE / "interfaces_semantics.escript"), str(HERE)],
                             cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True),
            subprocess.Popen([elixir, str(HERE / "genserver_semantics.exs")], cwd=cwd,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)]
    found = {}
    for run in runs:
        out, err = run.communicate(timeout=120)
        assert run.returncode == 0, err
        found.update(parse_facts(out))
    return found


@pytest.mark.parametrize("fact", sorted(ERLANG) + sorted(ELIXIR))
def test_beam_behaves_as_chapter_2_says(facts, fact):
    assert facts[fact] == {**ERLANG, **ELIXIR}[fact]
