# Elixir's Supervisor defaults (max_restarts 3 in max_seconds 5), checked on real OTP;
# see test_supervision_otp.py. Prints "name value" lines.
Logger.configure(level: :none)
Process.flag(:trap_exit, true)

children = [%{id: :worker, start: {Agent, :start_link, [fn -> 0 end, [name: :ex_worker]]}}]
{:ok, sup} = Supervisor.start_link(children, strategy: :one_for_one)

crash = fn ->
  Process.exit(Process.whereis(:ex_worker), :fault)
  receive do
    {:EXIT, ^sup, reason} -> {:down, reason}
  after
    200 -> if Process.whereis(:ex_worker), do: :restarted, else: :missing
  end
end

IO.puts("elixir_three_crashes #{inspect(Enum.map(1..3, fn _ -> crash.() end))}")
IO.puts("elixir_fourth_crash #{inspect(crash.())}")
