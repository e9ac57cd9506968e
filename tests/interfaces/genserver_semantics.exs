# What chapter 2 says about GenServer.call in Elixir; see test_otp_calls.py.
defmodule Slow do
  use GenServer
  def init(count), do: {:ok, count}
  def handle_call({:work, ms}, _from, count), do: (Process.sleep(ms); {:reply, :done, count + 1})
  def handle_call(:count, _from, count), do: {:reply, count, count}
end

{:ok, pid} = GenServer.start(Slow, 0)
reason =
  try do
    GenServer.call(pid, {:work, 7_000})
  catch
    :exit, reason -> reason
  end
{:timeout, {GenServer, :call, [^pid, {:work, 7_000}, default]}} = reason
IO.puts("elixir_default_timeout_ms #{default}")
Process.sleep(2_500)
IO.puts("elixir_work_done_after_timeout #{GenServer.call(pid, :count)}")
