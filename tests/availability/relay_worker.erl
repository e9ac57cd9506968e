%% A supervised worker for supervision_facts.escript: it registers under its name,
%% crashes when it receives `crash` (or Ms milliseconds after starting, if asked to),
%% and tells a process registered as start_log that it started.
-module(relay_worker).
-export([start_link/1, start_link/2]).

start_link(Name) -> start_link(Name, never).

start_link(Name, CrashAfter) ->
    Pid = spawn_link(fun() ->
        case CrashAfter of
            never -> ok;
            Ms -> erlang:send_after(Ms, self(), crash)
        end,
        loop()
    end),
    %% Registered by the starter, so the name is there when start_link returns.
    true = register(Name, Pid),
    %% A scenario that counts starts registers as start_log.
    case whereis(start_log) of
        undefined -> ok;
        Log -> Log ! {started, Name}
    end,
    {ok, Pid}.

loop() ->
    receive
        crash -> exit(fault);
        _ -> loop()
    end.
