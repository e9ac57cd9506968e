"""What patterns.md says about connecting nodes, checked on real Erlang and Elixir nodes.

The driver of each test is a *hidden* node: it reaches the cluster's nodes with ``rpc`` but
is not part of their mesh, so it does not change what ``global`` sees. Waits of 3 s are for
``global`` to connect or disconnect nodes, which takes well under a second on loopback;
the positive cases use the same wait, so a negative result cannot be a wait that was too
short.
"""

from __future__ import annotations

import pytest

SETTLE_MS = 3000


def _three_node_driver(beam, action: str) -> str:
    """Driver code: b connects to c, a connects to b, settle, *action*, settle, print views."""
    a, b, c = (f"'{beam.node(n)}'" for n in "abc")
    view = " ".join(
        f'io:format("{n}_{{0}}=~w~n", [lists:sort(rpc:call({node}, erlang, nodes, []))]),'
        for n, node in zip("abc", (a, b, c), strict=True))
    return f"""
        true = rpc:call({b}, net_kernel, connect_node, [{c}]),
        true = rpc:call({a}, net_kernel, connect_node, [{b}]),
        timer:sleep({SETTLE_MS}),
        {view.format("before")}
        {action}
        timer:sleep({SETTLE_MS}),
        {view.format("after")}
        halt()."""


def _short(beam, value: str) -> str:
    return value.replace(f"@{beam.node('x').split('@')[1]}", "")


@pytest.mark.parametrize("flags, meshed", [
    ((), True),                                      # the default: global makes it a mesh
    (("-kernel", "dist_auto_connect", "once"), True),   # "once" still connects, just once
    (("-connect_all", "false"), False),              # global no longer connects everyone
], ids=["default", "dist_auto_connect once", "connect_all false"])
def test_who_builds_the_full_mesh(beam, flags, meshed):
    """a joins b, which knows c: a ends up connected to c unless connect_all is false."""
    for name in "abc":
        beam.start_node(name, *flags)
    out = beam.erl("driver", _three_node_driver(beam, ""), "-hidden", *flags)
    expected = "[b,c]" if meshed else "[b]"
    assert _short(beam, beam.printed(out, "a_before")) == expected, out


def _views(beam, out: str, when: str) -> dict[str, set[str]]:
    """Each node's view of the cluster, itself included, from the driver's printout."""
    views = {}
    for name in "abc":
        listed = _short(beam, beam.printed(out, f"{name}_{when}")).strip("[]")
        views[name] = {name, *filter(None, listed.split(","))}
    return views


def _cut_b_from_c(beam, *flags) -> tuple[dict[str, set[str]], str]:
    for name in "abc":
        beam.start_node(name, *flags)
    c = f"'{beam.node('c')}'"
    cut = f"true = rpc:call('{beam.node('b')}', erlang, disconnect_node, [{c}]),"
    out = beam.erl("driver", _three_node_driver(beam, cut), "-hidden", *flags)
    assert _views(beam, out, "before") == {n: set("abc") for n in "abc"}, out
    return _views(beam, out, "after"), out


def test_one_lost_link_in_a_three_node_mesh_leaves_fully_connected_groups(beam):
    """Since OTP 25, global disconnects nodes until every group is fully connected.

    Which groups form is a race between b's and c's reports of the lost link: all three
    apart, or a with one of them. What the global manual promises, and what is asserted, is
    that no node is left connected to two nodes that cannot reach each other."""
    views, out = _cut_b_from_c(beam)
    assert "c" not in views["b"], out
    for name, view in views.items():
        assert all(views[peer] == view for peer in view), (name, out)   # no overlap


def test_without_prevent_overlapping_partitions_only_the_link_is_lost(beam):
    """With prevent_overlapping_partitions false, the graph model holds: a keeps both."""
    views, out = _cut_b_from_c(beam, "-kernel", "prevent_overlapping_partitions", "false")
    assert views == {"a": set("abc"), "b": set("ab"), "c": set("ac")}, out


ERLANG_JOIN = """-module(join).
-compile([export_all, nowarn_export_all]).
{snippet}
"""

ELIXIR_JOIN = """
defmodule Join do
{snippet}
end
IO.puts("connected=#{{inspect(Join.join_cluster({seeds}))}}")
"""


@pytest.mark.parametrize("alive", [True, False], ids=["distributed", "not distributed"])
def test_join_cluster_tabs_agree(beam_elixir, alive):
    """Both tabs return the seeds they connected to: a live one, not a dead one; and none,
    without crashing, on a node that is not distributed (connect returns ``ignored``)."""
    beam = beam_elixir
    beam.start_node("seed")
    live, dead = beam.node("seed"), beam.node("ghost")
    beam.compile("join", ERLANG_JOIN.format(
        snippet=beam.snippet("patterns.md", "erlang", "join_cluster(Seeds)")))
    erl_code = (f"io:format(\"connected=~w~n\", [join:join_cluster(['{live}', '{dead}'])]), "
                "halt().")
    script = ELIXIR_JOIN.format(
        snippet=beam.snippet("patterns.md", "elixir", "def join_cluster(seeds)"),
        seeds=f'[:"{live}", :"{dead}"]')
    if alive:
        erl_out = beam.erl("erlang_joiner", erl_code)
        ex_out = beam.elixir("elixir_joiner", script)
    else:
        erl_out = beam.run(["erl", "-noshell", "-pa", str(beam.ebin), "-eval", erl_code])
        path = beam.workdir / "joiner.exs"
        path.write_text(script)
        ex_out = beam.run(["elixir", str(path)])
    assert beam.printed(erl_out, "connected") == (f"[{live}]" if alive else "[]"), erl_out
    assert beam.printed(ex_out, "connected") == (f"[:{live}]" if alive else "[]"), ex_out


def test_sends_to_a_lost_node_are_dropped_silently(beam):
    """connectivity.md: a send to a node that is gone returns as if it worked; only a
    monitor (or a reply that never comes) tells."""
    ghost = beam.node("ghost")
    out = beam.erl("sender", f"""
        R = catch ({{relay_store, '{ghost}'}} ! hello),
        Ref = erlang:monitor(process, {{relay_store, '{ghost}'}}),
        D = receive {{'DOWN', Ref, process, _, Why}} -> Why after 10000 -> none end,
        io:format("send=~w~nmonitor=~w~n", [R, D]),
        halt().""")
    assert beam.printed(out, "send") == "hello"            # no error, no exception
    assert beam.printed(out, "monitor") == "noconnection"  # the monitor is what tells


def test_a_different_cookie_is_refused(beam):
    """patterns.md: connect returns false when the peer's cookie differs."""
    beam.start_node("seed")
    out = beam.erl("stranger", f"io:format(\"connected=~w~n\", "
                   f"[net_kernel:connect_node('{beam.node('seed')}')]), halt().",
                   "-setcookie", "not_the_cluster_cookie")
    assert beam.printed(out, "connected") == "false"
