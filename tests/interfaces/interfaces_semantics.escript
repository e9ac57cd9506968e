#!/usr/bin/env escript
%% What chapter 2 says about gen_server calls, on two real BEAM nodes on loopback; see
%% test_otp_calls.py. Prints one "name value" line per fact.
-module(interfaces_semantics).
-mode(compile).
-export([main/1]).

report(Name, Value) -> io:format("~s ~p~n", [Name, Value]).

main([Dir]) ->
    _ = os:cmd("epmd -daemon"),
    Id = os:getpid(),
    {ok, _} = net_kernel:start([list_to_atom("ch2_caller_" ++ Id), shortnames]),
    {ok, slow_server, Beam} = compile:file(filename:join(Dir, "slow_server.erl"), [binary]),
    {ok, Peer, Callee} = peer:start_link(#{name => list_to_atom("ch2_callee_" ++ Id)}),
    {module, slow_server} = erpc:call(Callee, code, load_binary,
                                      [slow_server, "slow_server.erl", Beam]),
    {ok, Server} = erpc:call(Callee, gen_server, start, [{local, store}, slow_server, 0, []]),
    report("remote", node(Server) =:= Callee),
    report("call_reply", gen_server:call({store, Callee}, {work, 10})),
    %% The default timeout: gen_server:call/2 on a request that takes 7 s.
    Start = erlang:monotonic_time(millisecond),
    Reason = try gen_server:call({store, Callee}, {work, 7000}) catch exit:R -> R end,
    Waited = erlang:monotonic_time(millisecond) - Start,
    report("default_timeout_s", round(Waited / 1000)),
    report("timeout_reason", case Reason of
                                 {timeout, {gen_server, call, [_, _]}} -> timeout_call2;
                                 Other -> Other
                             end),
    %% The callee finished the work the caller gave up on.
    timer:sleep(2500),
    report("work_done_after_timeout", gen_server:call({store, Callee}, count, 1000) - 1),
    report("late_reply", receive Any -> {got, Any} after 0 -> nothing end),
    %% A caller that does not catch the exit dies of it.
    {Pid, Ref} = spawn_monitor(fun() -> gen_server:call({store, Callee}, {work, 500}, 100) end),
    report("uncaught_timeout", receive {'DOWN', Ref, process, Pid, {timeout, _}} -> caller_died
                               after 2000 -> caller_alive end),
    %% A cast returns ok whether or not anyone is there.
    report("cast_to_nobody", gen_server:cast({nobody, Callee}, hello)),
    report("call_to_nobody", try gen_server:call({nobody, Callee}, hello, 1000)
                             catch exit:{noproc, _} -> noproc end),
    ok = peer:stop(Peer),
    report("call_to_down_node", try gen_server:call({store, Callee}, count, 1000)
                                catch exit:{{nodedown, Callee}, _} -> nodedown end),
    ok.
