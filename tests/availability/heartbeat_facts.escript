#!/usr/bin/env escript
%% The heartbeat monitor on chapters/03-availability/detection.md, run on real OTP; see
%% test_detection_otp.py. Argument: a directory holding heartbeat_monitor.erl (the page's
%% tab). Prints "name value" lines.
-module(heartbeat_facts).
-mode(compile).
-export([main/1]).

report(Name, Value) -> io:format("~s ~p~n", [Name, Value]).

main([Dir]) ->
    ok = logger:set_primary_config(level, none),
    true = code:add_patha(Dir),
    {ok, heartbeat_monitor} = compile:file(filename:join(Dir, "heartbeat_monitor"),
                                           [{outdir, Dir}, nowarn_undefined_behaviour_funcs]),
    {ok, Monitor} = gen_server:start(heartbeat_monitor, {300, self()}, []),
    %% Heartbeats every 100 ms for a second: silence never lasts 300 ms.
    [begin Monitor ! heartbeat, timer:sleep(100) end || _ <- lists:seq(1, 10)],
    report("suspected_while_beating", receive {suspect, Monitor} -> true after 0 -> false end),
    %% Then the peer falls silent: the suspicion comes about 300 ms after the last beat.
    Silent = receive {suspect, Monitor} -> true after 1000 -> false end,
    report("suspected_after_silence", Silent).
