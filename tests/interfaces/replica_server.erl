%% A replica that stores a value after a fixed delay: the callee of multi_call_semantics.escript.
-module(replica_server).
-behaviour(gen_server).
-export([init/1, handle_call/3, handle_cast/2]).

init(DelayMs) -> {ok, {DelayMs, 0}}.

handle_call({put, _Key, _Value}, _From, {DelayMs, Stored}) ->
    timer:sleep(DelayMs),
    {reply, ok, {DelayMs, Stored + 1}};
handle_call(stored, _From, State = {_, Stored}) ->
    {reply, Stored, State}.

handle_cast(_, State) -> {noreply, State}.
