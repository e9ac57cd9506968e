#!/usr/bin/env escript
%% Facts about OTP supervisors that reactive_lab.availability.Supervisor copies; see
%% test_supervision_otp.py. Argument: a directory holding relay_worker.erl and
%% relay_logic_sup.erl (the supervisor on the chapter's page). Prints "name value" lines.
-module(supervision_facts).
-mode(compile).
-export([main/1, init/1]).

init({Flags, Children}) -> {ok, {Flags, Children}}.

report(Name, Value) -> io:format("~s ~p~n", [Name, Value]).

worker(Name) -> #{id => Name, start => {relay_worker, start_link, [Name]}}.
worker(Name, CrashAfter) ->
    #{id => Name, start => {relay_worker, start_link, [Name, CrashAfter]}}.

start(Flags, Children) -> supervisor:start_link(?MODULE, {Flags, Children}).

main([Dir]) ->
    ok = logger:set_primary_config(level, none),  % supervisor reports would mix with facts
    true = code:add_patha(Dir),
    {ok, relay_worker} = compile:file(filename:join(Dir, "relay_worker"), [{outdir, Dir}]),
    {ok, relay_logic_sup} = compile:file(filename:join(Dir, "relay_logic_sup"), [{outdir, Dir}]),
    Self = self(),
    Scenarios = [fun defaults_two_fast/0, fun defaults_two_slow/0, fun intensity_three/0,
                 fun strategies/0, fun escalation/0, fun deterministic/0, fun page_sup/0],
    [spawn(fun() -> process_flag(trap_exit, true), Self ! {done, S()} end) || S <- Scenarios],
    Facts = lists:append([receive {done, F} -> F after 20000 -> [{timeout, true}] end
                          || _ <- Scenarios]),
    [report(K, V) || {K, V} <- lists:sort(Facts)],
    ok.

%% Kill the registered child Name; wait for its supervisor to act; return its new pid
%% (or the supervisor's exit reason if the supervisor went down).
crash(Name, Sup) ->
    Name ! crash,
    receive {'EXIT', Sup, Reason} -> {down, Reason}
    after 200 -> whereis(Name)
    end.

sup_status(Sup) ->
    receive {'EXIT', Sup, Reason} -> {down, Reason} after 100 -> alive end.

%% Default flags (#{}): one_for_one, intensity 1, period 5.
defaults_two_fast() ->
    {ok, Sup} = start(#{}, [worker(w1)]),
    First = whereis(w1),
    Second = crash(w1, Sup),
    Restarted = is_pid(Second) andalso Second =/= First,
    [{defaults_first_crash_restarted, Restarted},
     {defaults_second_fast_crash, crash(w1, Sup)}].

defaults_two_slow() ->
    {ok, Sup} = start(#{}, [worker(w2)]),
    _ = crash(w2, Sup),
    timer:sleep(6500),
    Third = crash(w2, Sup),
    [{defaults_crashes_6500ms_apart, case is_pid(Third) of true -> sup_status(Sup); false -> Third end}].

intensity_three() ->
    {ok, Sup} = start(#{intensity => 3, period => 5}, [worker(w3)]),
    Three = [is_pid(crash(w3, Sup)) || _ <- [1, 2, 3]],
    [{intensity3_three_crashes_restarted, lists:all(fun(X) -> X end, Three)},
     {intensity3_fourth_crash, crash(w3, Sup)}].

strategies() ->
    lists:append([strategy(S) || S <- [one_for_one, one_for_all, rest_for_one]]).

strategy(Strategy) ->
    Names = [list_to_atom(atom_to_list(Strategy) ++ "_" ++ N) || N <- ["a", "b", "c"]],
    {ok, Sup} = start(#{strategy => Strategy, intensity => 5}, [worker(N) || N <- Names]),
    Before = [whereis(N) || N <- Names],
    _ = crash(lists:nth(2, Names), Sup),
    After = [whereis(N) || N <- Names],
    Restarted = [I || {I, B, A} <- lists:zip3([a, b, c], Before, After), B =/= A],
    unlink(Sup), exit(Sup, shutdown),
    [{list_to_atom(atom_to_list(Strategy) ++ "_crash_b_restarts"), Restarted}].

%% root (defaults) supervises mid (defaults) which supervises w4.
escalation() ->
    Mid = #{id => mid, type => supervisor,
            start => {supervisor, start_link, [{local, mid}, ?MODULE, {#{}, [worker(w4)]}]}},
    {ok, Root} = start(#{}, [Mid]),
    Mid1 = whereis(mid),
    _ = crash(w4, Root), _ = crash(w4, Root),
    timer:sleep(100),
    Mid2 = whereis(mid),
    Once = sup_status(Root),
    _ = crash(w4, Root),
    [{escalation_mid_gave_up_and_was_restarted, is_pid(Mid2) andalso Mid2 =/= Mid1},
     {escalation_root_after_one_give_up, Once},
     {escalation_root_after_two_give_ups, crash(w4, Root)}].

%% A child that crashes 100 ms after every start: defaults give up after two crashes.
deterministic() ->
    true = register(start_log, self()),
    {ok, Sup} = start(#{}, [worker(w5, 100)]),
    Reason = receive {'EXIT', Sup, R} -> R after 5000 -> still_alive end,
    Starts = count_starts(w5, 0),
    [{deterministic_supervisor_exit, Reason}, {deterministic_child_starts, Starts}].

count_starts(Name, N) ->
    receive {started, Name} -> count_starts(Name, N + 1) after 0 -> N end.

%% The page's relay_logic_sup: rest_for_one over store_conn, router, presence.
page_sup() ->
    {ok, Sup} = relay_logic_sup:start_link(),
    Names = [store_conn, router, presence],
    Before = [whereis(N) || N <- Names],
    _ = crash(router, Sup),
    After = [whereis(N) || N <- Names],
    Restarted = [N || {N, B, A} <- lists:zip3(Names, Before, After), B =/= A],
    [{page_sup_crash_router_restarts, Restarted},
     {page_sup_second_fast_crash, crash(store_conn, Sup)}].
