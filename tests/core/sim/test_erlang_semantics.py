"""The behaviours the core copies from Erlang, checked on a real BEAM node.

``erlang_semantics.escript`` runs on a distributed node (``-sname``, loopback) and prints
one fact per line. Each fact is one the core reproduces, and the test named beside it
checks the core does:

- a ``gen_server:call`` that times out exits with ``timeout``: the caller learns nothing
  more (test_a_timed_out_call_learns_only_that_it_timed_out);
- the reply that comes after the timeout is not delivered to the caller (same test);
- sending to a dead process is silent (test_a_crash_loses_state_mailbox_and_work...);
- monitoring a dead process gives ``'DOWN'`` with ``noproc`` at once
  (test_monitoring_a_dead_process_reports_noproc_at_once);
- a process's ``erlang:send_after`` timers die with it
  (test_timers_arrive_after_their_delay_and_die_with_a_crash);
- a linked process dies too, or, trapping exits, gets ``{'EXIT', Pid, Reason}``
  (test_monitors_get_a_down_message_and_links_crash_together);
- messages between two processes arrive in the order sent
  (test_links_are_fifo_unless_reordering_is_on);
- sending to a node that cannot be reached is silent
  (test_a_partition_drops_messages_until_it_heals).
"""

from pathlib import Path

import pytest

from tests.beam import beam_facts

SCRIPT = Path(__file__).with_name("erlang_semantics.escript")

EXPECTED = {
    "distributed": "true",
    "call_timeout": "timed_out",
    "late_reply": "nothing",
    "send_to_dead": "hello",
    "monitor_dead": "noproc",
    "timer_running": "true",
    "timer_after_crash": "false",
    "linked_alive": "false",
    "trapped_exit": "bad_input",
    "fifo_pair": "true",
    "send_to_unreachable_node": "hello",
}


@pytest.fixture(scope="module")
def facts():
    return beam_facts("escript", SCRIPT)


@pytest.mark.parametrize("fact", sorted(EXPECTED))
def test_beam_behaves_as_the_core_assumes(facts, fact):
    assert facts[fact] == EXPECTED[fact]
