"""How distributed Erlang notices a dead or silent peer (connectivity.md), on real nodes.

Both nodes run with ``net_ticktime`` 4 s and the default ``net_tickintensity`` 4: a tick
interval of 1 s, and a silent peer declared down after between 3 s (``T - T/I``) and 5 s
(``T + T/I``) of silence. The watcher monitors the peer; the test then does one thing to
the peer's operating-system process:

- ``SIGKILL``: the VM dies, its host's kernel closes the socket, and ``nodedown`` comes at
  once, long before the 3 s a silent peer would need;
- ``SIGSTOP``: the VM freezes as on a stalled host (CPU steal, swap, a paused VM); nothing
  closes the socket, and only the ticks notice, inside the 3–5 s window;
- ``SIGSTOP`` for 1 s, then ``SIGCONT``: a stall shorter than the window is forgiven;
- a process on the peer spends 6 s allocating and collecting a large heap: BEAM collects
  each process on its own and the tick machinery runs at the highest priority, so this is
  no reason for a ``nodedown``.

Bounds come from that window with generous margins; they are not machine timings.
"""

from __future__ import annotations

import os
import signal
import time

import pytest

TICK = ("-kernel", "net_ticktime", "4")
MIN_T_MS, MAX_T_MS = 3000, 5000
LISTEN_MS = 10000

WATCHER = """
Peer = '{peer}',
true = net_kernel:connect_node(Peer),
erlang:monitor_node(Peer, true),
io:format("ready=1~n"),
_ = io:get_line(""),
T0 = erlang:monotonic_time(millisecond),
receive
    {{nodedown, Peer}} ->
        io:format("nodedown_ms=~p~n", [erlang:monotonic_time(millisecond) - T0])
after {listen} ->
    io:format("nodedown_ms=none~n")
end,
halt()."""

STRESS = """-module(stress).
-export([gc_for/1]).

%% A process with a large live heap, collected over and over for Ms milliseconds.
gc_for(Ms) ->
    spawn(fun() -> loop(lists:seq(1, 3000000), erlang:monotonic_time(millisecond) + Ms) end),
    ok.

loop(Heap, End) ->
    case erlang:monotonic_time(millisecond) < End of
        true -> erlang:garbage_collect(), loop(Heap, End);
        false -> length(Heap)
    end.
"""


def _watch(beam, do_to_peer) -> str:
    """Start peer and watcher, apply *do_to_peer*, return what the watcher measured."""
    beam.compile("stress", STRESS)
    peer = beam.start_node("peer", *TICK)
    watcher = beam.start_driver("watcher", WATCHER.format(peer=beam.node("peer"),
                                                          listen=LISTEN_MS), *TICK)
    beam.read_until(watcher, "ready")
    do_to_peer(peer)
    beam.tell(watcher, "go")
    return beam.read_until(watcher, "nodedown_ms", timeout_s=LISTEN_MS / 1000 + 20)


def test_a_crashed_vm_is_seen_at_once(beam):
    """A killed VM's socket is closed by its host: nodedown well before any tick could."""
    result = _watch(beam, lambda peer: os.killpg(peer.pid, signal.SIGKILL))
    assert result != "none" and int(result) < MIN_T_MS / 2


def test_a_frozen_peer_is_caught_by_the_ticks(beam):
    """A frozen VM closes nothing: nodedown comes from the ticks, between MinT and MaxT."""
    result = _watch(beam, lambda peer: os.killpg(peer.pid, signal.SIGSTOP))
    assert result != "none"
    assert MIN_T_MS * 0.8 <= int(result) <= MAX_T_MS + 3000


def test_a_short_stall_is_forgiven(beam):
    """A 1 s freeze, shorter than MinT, does not cost a nodedown."""
    def stall(peer):
        os.killpg(peer.pid, signal.SIGSTOP)
        time.sleep(1.0)
        os.killpg(peer.pid, signal.SIGCONT)

    assert _watch(beam, stall) == "none"


@pytest.mark.slow
def test_garbage_collection_does_not_cause_a_nodedown(beam):
    """Collecting one process's large heap for longer than MaxT does not silence the node."""
    def collect(peer):
        out = beam.erl("starter", f"ok = rpc:call('{beam.node('peer')}', stress, gc_for, "
                       f"[{MAX_T_MS + 1000}]), halt().", "-hidden", *TICK)
        assert "crash" not in out.lower()

    assert _watch(beam, collect) == "none"
