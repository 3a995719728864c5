-- SPDX-License-Identifier: Apache-2.0
-- wrk script for bench/run.
--
-- BENCH_TARGET (e.g. http://plain.bench/100): send absolute-form requests, as an
--   app does to an HTTP proxy; unset: origin form to the URL wrk was given
--   ("direct", no proxy), with the bearer token the proxies would add.
-- BENCH_DELAY_MS: pause each connection this long between requests, so many
--   keep-alive connections stay open but mostly idle.
-- done() prints one machine-readable line that bench/run parses.

local target = os.getenv("BENCH_TARGET")
local delay_ms = tonumber(os.getenv("BENCH_DELAY_MS") or "0")
local request_bytes

function init(args)
  if target and target ~= "" then
    local host = target:match("^https?://([^/]+)")
    request_bytes = wrk.format("GET", target, { Host = host })
  else
    request_bytes = wrk.format("GET", nil, { Authorization = "Bearer bench-direct" })
  end
end

function request()
  return request_bytes
end

if delay_ms > 0 then
  function delay()
    return delay_ms
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d p50_us=%d p99_us=%d connect=%d read=%d write=%d status=%d timeout=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect, e.read, e.write, e.status, e.timeout))
end
