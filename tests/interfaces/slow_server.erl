%% A gen_server that takes as long as it is told: the callee of interfaces_semantics.escript.
-module(slow_server).
-behaviour(gen_server).
-export([init/1, handle_call/3, handle_cast/2]).

init(Count) -> {ok, Count}.

handle_call({work, Ms}, _From, Count) ->
    timer:sleep(Ms),
    {reply, done, Count + 1};
handle_call(count, _From, Count) ->
    {reply, Count, Count}.

handle_cast(_, Count) -> {noreply, Count}.
