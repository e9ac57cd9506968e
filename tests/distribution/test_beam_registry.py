"""The discovery tabs of architecture.md, run on real nodes: pg groups across nodes.

A directory process joins the ``user_directory`` group of the ``relay`` scope on one node
(through the tab's own ``init/1``); a caller on another node finds it with the tab's
``directory/0``. Then the directory's node is killed, and the member must drop out of the
group: ``pg`` removes the members of a node that went down.
"""

from __future__ import annotations

import os
import signal

ERLANG_MODULE = """-module(directory_tab).
-compile([export_all, nowarn_export_all]).
{snippet}

%% Test plumbing: a scope and one process that joined through the tab's init/1.
serve() ->
    {{ok, _}} = pg:start_link(relay),
    spawn(fun() -> {{ok, _}} = init([]), receive stop -> ok end end),
    ok.

find(0) -> directory();
find(Tries) ->
    case directory() of
        {{ok, _}} = Found -> Found;
        _ -> timer:sleep(100), find(Tries - 1)
    end.

gone(0) -> directory();
gone(Tries) ->
    case directory() of
        {{error, no_directory}} = Gone -> Gone;
        _ -> timer:sleep(100), gone(Tries - 1)
    end.
"""

CALLER = """
{{ok, _}} = pg:start_link(relay),
true = net_kernel:connect_node('{server}'),
{{ok, Pid}} = directory_tab:find(50),
io:format("found_on=~s~n", [node(Pid)]),
io:format("ready=1~n"),
_ = io:get_line(""),
io:format("after_kill=~w~n", [directory_tab:gone(50)]),
halt()."""


def test_pg_directory_is_found_across_nodes_and_forgotten_when_its_node_dies(beam):
    snippet = beam.snippet("architecture.md", "erlang", "pg:join(relay, user_directory")
    beam.compile("directory_tab", ERLANG_MODULE.format(snippet=snippet))
    server = beam.start_node("server", "-eval", "ok = directory_tab:serve()")
    caller = beam.start_driver("caller", CALLER.format(server=beam.node("server")))
    assert beam.read_until(caller, "found_on") == beam.node("server")
    beam.read_until(caller, "ready")
    os.killpg(server.pid, signal.SIGKILL)
    beam.tell(caller, "go")
    assert beam.read_until(caller, "after_kill") == "{error,no_directory}"


ELIXIR_SCRIPT = """
defmodule DirectoryTab do
{snippet}
end

{{:ok, _}} = :pg.start_link(:relay)
true = Node.connect(:"{server}")
found = Enum.find_value(1..50, fn _ ->
  case DirectoryTab.directory() do
    {{:ok, pid}} -> pid
    _ -> Process.sleep(100); nil
  end
end)
IO.puts("found_on=#{{node(found)}}")
"""


def test_elixir_pg_tab_finds_a_remote_directory(beam_elixir):
    beam = beam_elixir
    erlang = beam.snippet("architecture.md", "erlang", "pg:join(relay, user_directory")
    beam.compile("directory_tab", ERLANG_MODULE.format(snippet=erlang))
    beam.start_node("server", "-eval", "ok = directory_tab:serve()")
    elixir = beam.snippet("architecture.md", "elixir", ":pg.join(:relay, :user_directory")
    out = beam.elixir("caller", ELIXIR_SCRIPT.format(snippet=elixir, server=beam.node("server")))
    assert beam.printed(out, "found_on") == beam.node("server")
