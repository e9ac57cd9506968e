"""The heartbeat monitor in the Erlang tab of the detection page, run on real OTP.

The tab is compiled as a gen_server (``heartbeat_monitor``); ``heartbeat_facts.escript``
sends it heartbeats every 100 ms with a 300 ms timeout, then stops. The page says it
suspects only after the silence: that is asserted here.
"""

import re
from pathlib import Path

from tests.beam import beam_facts

HERE = Path(__file__).parent
PAGE = HERE.parents[1] / "chapters" / "03-availability" / "detection.md"
FENCE = re.compile(r"```\{code-block\} erlang\n(.*?)```", re.S)


def test_the_page_monitor_suspects_only_after_silence(tmp_path):
    snippets = [s for s in FENCE.findall(PAGE.read_text("utf8")) if "{suspect, self()}" in s]
    assert len(snippets) == 1, "the detection page shows the heartbeat monitor once"
    (tmp_path / "heartbeat_monitor.erl").write_text(
        "-module(heartbeat_monitor).\n-behaviour(gen_server).\n"
        "-export([init/1, handle_info/2, handle_call/3, handle_cast/2]).\n"
        "handle_call(_, _, State) -> {reply, ok, State}.\n"
        "handle_cast(_, State) -> {noreply, State}.\n" + snippets[0])
    facts = beam_facts("escript", HERE / "heartbeat_facts.escript", tmp_path)
    assert facts == {"suspected_while_beating": "false", "suspected_after_silence": "true"}
