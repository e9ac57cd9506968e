"""What chapter 2's state.md says about ``gen_server:multi_call``, checked on real BEAM nodes.

``multi_call_semantics.escript`` starts a coordinator node and two replica nodes
(``peer``) on loopback, runs ``replica_server`` on each, a near one answering in 10 ms
and a far one in 1.5 s, and prints one fact per line. The page states each, after the
stdlib reference manual:

- ``multi_call/4`` with a 500 ms timeout returns the near node's reply in ``Replies``,
  and puts in ``BadNodes`` the far node, which had not replied when the timeout fired,
  and a node with no server of that name; it returns at the timeout;
- when every node answers, it returns with the last answer, before the timeout;
- the far node still stores the value it was counted bad for, and its late reply never
  reaches the caller;
- ``multi_call/3`` has no timeout: it waits 5.5 s for the far node, past ``call/2``'s 5 s.

The run takes about 7 s of wall time; the facts name outcomes, with timing bands wide
enough (500 ms to 1.5 s, under 1 s, at least 5 s) for a loaded machine.
"""

from pathlib import Path

import pytest

from tests.beam import beam_facts

HERE = Path(__file__).parent

FACTS = {
    "replies": "near_only",
    "bad_nodes": "far_and_no_server",
    "returned_at": "timeout",
    "all_replied_returns": "before_timeout",
    "far_stored_anyway": "1",
    "late_reply": "nothing",
    "no_timeout_waits": "past_5s",
}


@pytest.fixture(scope="module")
def facts(tmp_path_factory):
    return beam_facts("escript", HERE / "multi_call_semantics.escript", HERE,
                      cwd=tmp_path_factory.mktemp("beam"))


@pytest.mark.parametrize("fact", sorted(FACTS))
def test_multi_call_behaves_as_the_page_says(facts, fact):
    assert facts[fact] == FACTS[fact]
