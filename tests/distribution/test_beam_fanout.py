"""The fan-out tabs of request-paths.md, run on real nodes: one deadline, not k timeouts.

Two directory nodes run a stub ``user_directory`` that answers members named ``fast…`` and
never answers anyone else (a silent directory: a stalled host, a lost reply). A fan-out to
one fast and four silent members with a 1 s deadline must return after about one deadline
with the fast answer and four timeouts. Collecting replies one after another with a 1 s
timeout each, as the page's earlier version did, waits once per silent member: at least
4 s. The bounds below follow from that mechanism (one deadline against four), with
generous margins for a loaded machine; they are not timings of the machine.
"""

from __future__ import annotations

DIRECTORY_STUB = r"""
-module(directory_stub).
-behaviour(gen_server).
-export([start/0, init/1, handle_call/3, handle_cast/2]).

%% One instance under the Erlang tab's name, one under the Elixir tab's.
start() ->
    {ok, _} = gen_server:start({local, user_directory}, ?MODULE, [], []),
    {ok, _} = gen_server:start({local, 'Elixir.UserDirectory'}, ?MODULE, [], []),
    ok.

init([]) -> {ok, nostate}.

handle_call({presence, Member}, _From, State) ->
    case atom_to_list(Member) of
        "fast" ++ _ -> {reply, online, State};
        _ -> {noreply, State}
    end.

handle_cast(_, State) -> {noreply, State}.
"""

# node_for/1 for the snippets: members spread over the directory nodes by hash.
NODE_FOR_ERLANG = """
node_for(Member) ->
    Nodes = persistent_term:get(directory_nodes),
    lists:nth(erlang:phash2(Member, length(Nodes)) + 1, Nodes).

wait_for_directories(Nodes) ->
    [wait_for(N, 100) || N <- Nodes],
    persistent_term:put(directory_nodes, Nodes).

wait_for(Node, 0) -> error({no_directory, Node});
wait_for(Node, Tries) ->
    case rpc:call(Node, erlang, whereis, [user_directory]) of
        Pid when is_pid(Pid) -> ok;
        _ -> timer:sleep(100), wait_for(Node, Tries - 1)
    end.

%% What the page used to show: one receive_response/2 per request, in turn.
sequential(Members, TimeoutMs) ->
    Requests = [{M, gen_server:send_request({user_directory, node_for(M)},
                                            {presence, M})} || M <- Members],
    maps:from_list(
      [{M, case gen_server:receive_response(R, TimeoutMs) of
               {reply, P} -> P;
               timeout -> timeout
           end} || {M, R} <- Requests]).
"""

MEMBERS = "[fast1, slow1, slow2, slow3, slow4]"
EXPECTED = "[{fast1,online},{slow1,timeout},{slow2,timeout},{slow3,timeout},{slow4,timeout}]"
DEADLINE_MS = 1000
SILENT = 4


def _start_directories(beam, atom="'{}'"):
    """Start the directory nodes; return their names as a list literal, atoms as *atom*."""
    beam.compile("directory_stub", DIRECTORY_STUB)
    names = ["dir1", "dir2"]
    for name in names:
        beam.start_node(name, "-eval", "directory_stub:start()")
    return "[" + ", ".join(atom.format(beam.node(n)) for n in names) + "]"


def test_erlang_fanout_waits_one_deadline_not_one_per_silent_server(beam):
    """The Erlang tab returns after one deadline; sequential collection waits k of them."""
    snippet = beam.snippet("request-paths.md", "erlang", "presences(Members, TimeoutMs)")
    beam.compile("fanout", "-module(fanout).\n-compile([export_all, nowarn_export_all]).\n"
                 + snippet + NODE_FOR_ERLANG)
    nodes = _start_directories(beam)
    out = beam.erl("caller", f"""
        fanout:wait_for_directories({nodes}),
        T0 = erlang:monotonic_time(millisecond),
        R = fanout:presences({MEMBERS}, {DEADLINE_MS}),
        T1 = erlang:monotonic_time(millisecond),
        S = fanout:sequential({MEMBERS}, {DEADLINE_MS}),
        T2 = erlang:monotonic_time(millisecond),
        io:format("deadline_ms=~p~ndeadline_result=~w~n", [T1 - T0, lists:sort(maps:to_list(R))]),
        io:format("sequential_ms=~p~nsequential_result=~w~n",
                  [T2 - T1, lists:sort(maps:to_list(S))]),
        halt().""")
    assert beam.printed(out, "deadline_result") == EXPECTED
    assert beam.printed(out, "sequential_result") == EXPECTED
    deadline_ms = int(beam.printed(out, "deadline_ms"))
    sequential_ms = int(beam.printed(out, "sequential_ms"))
    assert DEADLINE_MS * 0.9 <= deadline_ms < DEADLINE_MS * 2.5, out
    assert sequential_ms >= SILENT * DEADLINE_MS, out


ELIXIR_DRIVER = """
defmodule Fanout do
{snippet}
  def node_for(member) do
    nodes = :persistent_term.get(:directory_nodes)
    Enum.at(nodes, :erlang.phash2(member, length(nodes)))
  end
end

nodes = {nodes}
for n <- nodes do
  Enum.find_value(1..100, fn _ ->
    is_pid(:rpc.call(n, :erlang, :whereis, [UserDirectory])) or (Process.sleep(100); nil)
  end) || raise "no directory on #{{n}}"
end
:persistent_term.put(:directory_nodes, nodes)
{{:ok, _}} = Task.Supervisor.start_link(name: Relay.TaskSupervisor)
members = {members}

t0 = System.monotonic_time(:millisecond)
result = Fanout.presences(members, {deadline})
t1 = System.monotonic_time(:millisecond)
IO.puts("deadline_ms=#{{t1 - t0}}")
IO.puts("deadline_result=#{{inspect(Enum.sort(result))}}")
IO.puts("schedulers=#{{System.schedulers_online()}}")

# Task.async_stream's defaults, for comparison: at most schedulers_online tasks at once...
silent = Enum.reject(members, &(&1 == :fast1))
t2 = System.monotonic_time(:millisecond)
silent
|> Task.async_stream(&Fanout.presence(&1, Fanout.node_for(&1)),
     timeout: {deadline}, on_timeout: :kill_task)
|> Stream.run()
IO.puts("default_concurrency_ms=#{{System.monotonic_time(:millisecond) - t2}}")

# ...and on_timeout: :exit, which exits the caller.
caller = spawn(fn ->
  silent |> Task.async_stream(&Fanout.presence(&1, Fanout.node_for(&1)), timeout: 200)
  |> Stream.run()
end)
ref = Process.monitor(caller)
receive do
  {{:DOWN, ^ref, :process, _, reason}} ->
    IO.puts("default_on_timeout=#{{inspect(elem(reason, 0))}}")
after 5_000 -> IO.puts("default_on_timeout=alive")
end
"""


def test_elixir_fanout_runs_all_calls_at_once_and_survives_timeouts(beam_elixir):
    """The Elixir tab returns after one deadline with timeouts as values, not a crash.

    Task.async_stream's defaults would not: with 2 schedulers it runs 2 of the 4 silent
    calls at a time (two deadlines), and its default ``on_timeout: :exit`` exits the caller.
    """
    beam = beam_elixir
    snippet = beam.snippet("request-paths.md", "elixir", "def presences(members, timeout_ms)")
    nodes = _start_directories(beam, atom=':"{}"')
    script = ELIXIR_DRIVER.format(snippet=snippet, nodes=nodes, deadline=DEADLINE_MS,
                                  members=MEMBERS.replace("[", "[:").replace(", ", ", :"))
    out = beam.elixir("caller", script, erl_flags="+S 2")
    assert beam.printed(out, "deadline_result") == (
        "[fast1: :online, slow1: :timeout, slow2: :timeout, slow3: :timeout, slow4: :timeout]")
    assert DEADLINE_MS * 0.9 <= int(beam.printed(out, "deadline_ms")) < DEADLINE_MS * 2.5, out
    assert beam.printed(out, "schedulers") == "2"
    # 4 silent calls, 2 at a time: two full deadlines, not one.
    assert int(beam.printed(out, "default_concurrency_ms")) >= 2 * DEADLINE_MS, out
    assert beam.printed(out, "default_on_timeout") == ":timeout"
