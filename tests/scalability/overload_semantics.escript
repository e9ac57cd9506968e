#!/usr/bin/env escript
%% Facts about overload on a real BEAM node that chapter 4 states; see
%% test_beam_overload.py. Prints one "name value" line per fact.
-module(overload_semantics).
-mode(compile).
-export([main/1, init/1, handle_call/3, handle_cast/2]).

%% A slow consumer: 1 ms of work per message, whether cast or called.
init(State) -> {ok, State}.
handle_call(work, _From, State) -> timer:sleep(1), {reply, done, State}.
handle_cast(work, State) -> timer:sleep(1), {noreply, State}.

report(Name, Value) -> io:format("~s ~p~n", [Name, Value]).

queue_len(Pid) -> element(2, process_info(Pid, message_queue_len)).
memory(Pid) -> element(2, process_info(Pid, memory)).

%% The limiter shown on the regulation page: an ets counter of requests in flight.
admit(Table, Limit) ->
    case ets:update_counter(Table, in_flight, {2, 1}) of
        N when N =< Limit -> ok;
        _ -> ets:update_counter(Table, in_flight, {2, -1}), {error, overload}
    end.

done(Table) -> ets:update_counter(Table, in_flight, {2, -1}).

main(_) ->
    _ = os:cmd("epmd -daemon"),
    {ok, _} = net_kernel:start([list_to_atom("overload_" ++ os:getpid()), shortnames]),
    report("distributed", is_alive()),

    %% 1. Casts never wait: 20,000 of them to a consumer doing 1 ms each pile up.
    {ok, Cast} = gen_server:start(?MODULE, [], []),
    Before = memory(Cast),
    [gen_server:cast(Cast, work) || _ <- lists:seq(1, 20000)],
    report("cast_queue_over_15000", queue_len(Cast) > 15000),
    report("cast_memory_grew_tenfold", memory(Cast) > 10 * Before),
    exit(Cast, kill),

    %% 2. Calls wait for the reply: 10 callers in a loop never queue more than 10.
    {ok, Called} = gen_server:start(?MODULE, [], []),
    Self = self(),
    Callers = [spawn(fun() -> loop_call(Called, 200), Self ! finished end)
               || _ <- lists:seq(1, 10)],
    Peak = sample_peak(Called, 0, length(Callers)),
    report("call_queue_at_most_callers", Peak =< 10),
    exit(Called, kill),

    %% 3. A heap limit kills a flooded process instead of the node.
    Flooded = spawn_opt(fun slow_loop/0,
                        [{max_heap_size, #{size => 100000, kill => true,
                                           error_logger => false}},
                         {message_queue_data, on_heap}, monitor]),
    {Pid, Ref} = Flooded,
    [Pid ! {filler, lists:seq(1, 20)} || _ <- lists:seq(1, 50000)],
    Reason = receive {'DOWN', Ref, process, Pid, R} -> R after 5000 -> alive end,
    report("max_heap_size_kills", Reason),

    %% 4. The ets limiter refuses the request over its limit, and admits again after one is done.
    Table = ets:new(limiter, [public]),
    ets:insert(Table, {in_flight, 0}),
    Admitted = [admit(Table, 3) || _ <- lists:seq(1, 4)],
    report("limiter_fourth", lists:last(Admitted)),
    done(Table),
    report("limiter_after_done", admit(Table, 3)),
    halt(0).

slow_loop() -> receive _ -> timer:sleep(1), slow_loop() end.

loop_call(_Server, 0) -> ok;
loop_call(Server, N) -> done = gen_server:call(Server, work), loop_call(Server, N - 1).

sample_peak(_Server, Peak, 0) -> Peak;
sample_peak(Server, Peak, Running) ->
    Now = queue_len(Server),
    receive finished -> sample_peak(Server, max(Peak, Now), Running - 1)
    after 1 -> sample_peak(Server, max(Peak, Now), Running)
    end.
