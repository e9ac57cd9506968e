#!/usr/bin/env escript
%% What chapter 2's state.md says about gen_server:multi_call, on three real BEAM nodes on
%% loopback (a coordinator, a near replica and a far one); see test_otp_multi_call.py.
%% Prints one "name value" line per fact.
-module(multi_call_semantics).
-mode(compile).
-export([main/1]).

report(Name, Value) -> io:format("~s ~p~n", [Name, Value]).

now_ms() -> erlang:monotonic_time(millisecond).

%% A peer node running replica_server as 'store' (answers after StoreMs) and as 'archive'
%% (answers after ArchiveMs).
replica(Name, Beam, StoreMs, ArchiveMs) ->
    {ok, Peer, Node} = peer:start_link(#{name => list_to_atom(Name)}),
    {module, replica_server} = erpc:call(Node, code, load_binary,
                                         [replica_server, "replica_server.erl", Beam]),
    [{ok, _} = erpc:call(Node, gen_server, start, [{local, Reg}, replica_server, Ms, []])
     || {Reg, Ms} <- [{store, StoreMs}, {archive, ArchiveMs}]],
    {Peer, Node}.

main([Dir]) ->
    _ = os:cmd("epmd -daemon"),
    Id = os:getpid(),
    {ok, _} = net_kernel:start([list_to_atom("ch2_coordinator_" ++ Id), shortnames]),
    {ok, replica_server, Beam} = compile:file(filename:join(Dir, "replica_server.erl"),
                                              [binary]),
    {NearPeer, Near} = replica("ch2_near_" ++ Id, Beam, 10, 10),
    {FarPeer, Far} = replica("ch2_far_" ++ Id, Beam, 1500, 5500),
    %% multi_call/3 has no timeout: started now, it gets the far archive's reply at 5.5 s.
    Self = self(),
    spawn_link(fun() ->
                       Start = now_ms(),
                       Result = gen_server:multi_call([Far], archive, {put, k, v}),
                       Self ! {no_timeout, Result, now_ms() - Start}
               end),
    %% A quorum write with a 500 ms timeout to the near node, the far node (1.5 s to answer)
    %% and this node, which runs no 'store' at all.
    Start = now_ms(),
    {Replies, Bad} = gen_server:multi_call([Near, Far, node()], store, {put, k, v}, 500),
    Waited = now_ms() - Start,
    report("replies", case Replies of [{Near, ok}] -> near_only; _ -> Replies end),
    report("bad_nodes", case lists:sort(Bad) =:= lists:sort([Far, node()]) of
                            true -> far_and_no_server;
                            false -> Bad
                        end),
    report("returned_at", if Waited >= 500, Waited < 1500 -> timeout;
                             true -> Waited
                          end),
    %% When every node answers, it returns with the last answer, not at the timeout.
    Start2 = now_ms(),
    {[{Near, ok}], []} = gen_server:multi_call([Near], store, {put, k, v2}, 5000),
    Waited2 = now_ms() - Start2,
    report("all_replied_returns", if Waited2 < 1000 -> before_timeout; true -> Waited2 end),
    %% The far node finishes the write it was counted bad for; its late reply is dropped.
    timer:sleep(1700),
    report("far_stored_anyway", gen_server:call({store, Far}, stored, 1000)),
    report("late_reply", receive
                             Late when not is_tuple(Late);
                                       element(1, Late) =/= no_timeout -> {got, Late}
                         after 0 -> nothing
                         end),
    report("no_timeout_waits", receive
                                   {no_timeout, {[{Far, ok}], []}, Ms} when Ms >= 5000 ->
                                       past_5s;
                                   {no_timeout, Other, Ms} -> {Other, Ms}
                               after 10000 -> still_waiting
                               end),
    ok = peer:stop(FarPeer),
    ok = peer:stop(NearPeer).
