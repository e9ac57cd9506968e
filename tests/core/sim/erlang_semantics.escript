#!/usr/bin/env escript
%% Facts about Erlang message passing that reactive_lab.core.sim copies; see
%% test_erlang_semantics.py. Prints one "name value" line per fact.
-module(erlang_semantics).
-mode(compile).
-export([main/1, init/1, handle_call/3, handle_cast/2]).

init(State) -> {ok, State}.
handle_call({sleep, Ms}, _From, State) -> timer:sleep(Ms), {reply, done, State}.
handle_cast(_, State) -> {noreply, State}.

report(Name, Value) -> io:format("~s ~p~n", [Name, Value]).

main(_) ->
    %% A distributed node on loopback (a unique name, so parallel runs do not clash).
    %% epmd must run for that; erl -sname would start it the same way.
    _ = os:cmd("epmd -daemon"),
    Name = list_to_atom("sim_semantics_" ++ os:getpid()),
    {ok, _} = net_kernel:start([Name, shortnames]),
    report("distributed", is_alive()),
    {ok, Slow} = gen_server:start(?MODULE, [], []),
    Timeout = try gen_server:call(Slow, {sleep, 200}, 50) catch exit:{timeout, _} -> timed_out end,
    report("call_timeout", Timeout),
    timer:sleep(300),
    Late = receive Any -> {got, Any} after 0 -> nothing end,
    report("late_reply", Late),
    Dead = spawn(fun() -> ok end),
    timer:sleep(10),
    report("send_to_dead", catch (Dead ! hello)),
    Ref = erlang:monitor(process, Dead),
    Down = receive {'DOWN', Ref, process, Dead, R} -> R after 100 -> none end,
    report("monitor_dead", Down),
    Self = self(),
    Timed = spawn(fun() -> Self ! {tref, erlang:send_after(1000, self(), ring)}, receive stop -> ok end end),
    TRef = receive {tref, T} -> T end,
    report("timer_running", is_integer(erlang:read_timer(TRef))),
    exit(Timed, kill),
    timer:sleep(50),
    report("timer_after_crash", erlang:read_timer(TRef)),
    Partner = spawn(fun() -> receive _ -> ok end end),
    Crasher = spawn(fun() -> link(Partner), receive go -> exit(bad_input) end end),
    timer:sleep(10),
    Crasher ! go,
    timer:sleep(50),
    report("linked_alive", is_process_alive(Partner)),
    process_flag(trap_exit, true),
    Crasher2 = spawn(fun() -> link(Self), receive go -> exit(bad_input) end end),
    timer:sleep(10),
    Crasher2 ! go,
    Exit = receive {'EXIT', Crasher2, Why} -> Why after 100 -> none end,
    report("trapped_exit", Exit),
    Collector = spawn(fun() -> collect(Self, []) end),
    [Collector ! {n, N} || N <- lists:seq(1, 10000)],
    Collector ! done,
    Order = receive {order, L} -> L =:= lists:seq(1, 10000) after 5000 -> timeout end,
    report("fifo_pair", Order),
    report("send_to_unreachable_node", catch ({relay, 'nobody@localhost'} ! hello)),
    ok.

collect(Parent, Acc) ->
    receive {n, N} -> collect(Parent, [N | Acc]); done -> Parent ! {order, lists:reverse(Acc)} end.
