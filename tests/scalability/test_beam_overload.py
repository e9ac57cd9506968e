"""What chapter 4 says about overload on the BEAM, checked on a real node on loopback.

``overload_semantics.escript`` runs on a distributed node and prints one fact per line;
each is stated on a page of chapter 4 (backpressure.md, regulation.md):

- casts never wait, so a consumer slower than its producers accumulates a mailbox, and
  its memory grows with it (the unbounded mailbox);
- ``gen_server:call`` blocks its caller, so N callers never queue more than N messages
  at the server (calls as back pressure);
- ``max_heap_size`` with ``kill => true`` (and an on-heap message queue) kills the flooded
  process instead of letting it take the node's memory;
- the ets counter limiter shown on the regulation page refuses the request over its
  limit and admits again once one finishes.
"""

from pathlib import Path

import pytest

from tests.beam import beam_facts

SCRIPT = Path(__file__).with_name("overload_semantics.escript")

EXPECTED = {
    "distributed": "true",
    "cast_queue_over_15000": "true",
    "cast_memory_grew_tenfold": "true",
    "call_queue_at_most_callers": "true",
    "max_heap_size_kills": "killed",
    "limiter_fourth": "{error,overload}",
    "limiter_after_done": "ok",
}


@pytest.fixture(scope="module")
def facts():
    return beam_facts("escript", SCRIPT, timeout=120)


@pytest.mark.parametrize("fact", sorted(EXPECTED))
def test_beam_overload_behaves_as_the_chapter_says(facts, fact):
    assert facts[fact] == EXPECTED[fact]
