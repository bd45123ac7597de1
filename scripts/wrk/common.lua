-- Shared by the scripts/wrk/*.lua scripts (loaded with dofile): counts responses whose status
-- is not the expected one and prints one JSON summary line at the end, which
-- scripts/benchmarks/driver.py parses. Latencies are in microseconds.
local common = {}

local threads = {}
local thread_count = 0

function common.setup(thread)
  thread:set("thread_index", thread_count)
  thread_count = thread_count + 1
  thread:set("thread_total", 0)
  table.insert(threads, thread)
end

-- The pause before a connection's next request (wrk's `delay()`, whole milliseconds). "fixed":
-- always `mean`. "exponential": random with mean `mean` (exponential think times, so the
-- connections send independently, like separate clients: Poisson-like arrivals; a fixed pause
-- keeps connections answered together in step, sending in bursts). Seeded per thread.
function common.pauser(mean, mode, index)
  if mode ~= "exponential" or mean <= 0 then
    return function() return mean end
  end
  math.randomseed(os.time() * 1000 + (index or 0) * 7919)
  return function()
    return math.floor(-mean * math.log(1 - math.random()) + 0.5)
  end
end

-- Reads `path` and keeps the lines this thread owns (line i belongs to thread i % n), so no
-- line is ever sent twice across threads.
function common.own_lines(path, index, total)
  local lines = {}
  local i = 0
  for line in io.lines(path) do
    if line ~= "" then
      if i % total == index then table.insert(lines, line) end
      i = i + 1
    end
  end
  return lines
end

function common.done(summary, latency, requests)
  local unexpected, exhausted = 0, 0
  for _, thread in ipairs(threads) do
    unexpected = unexpected + (thread:get("unexpected") or 0)
    exhausted = exhausted + (thread:get("exhausted") or 0)
  end
  local seconds = summary.duration / 1e6
  local errors = summary.errors
  io.write(string.format(
    '{"requests":%d,"seconds":%.3f,"rps":%.1f,"p50_us":%d,"p90_us":%d,"p99_us":%d,' ..
    '"max_us":%d,"unexpected_status":%d,"exhausted":%d,"socket_errors":%d,"timeouts":%d}\n',
    summary.requests, seconds, summary.requests / seconds, latency:percentile(50),
    latency:percentile(90), latency:percentile(99), latency.max, unexpected, exhausted,
    errors.connect + errors.read + errors.write, errors.timeout))
end

return common
