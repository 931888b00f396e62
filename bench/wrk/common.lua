-- Shared by the wrk scripts of bench/run: per-thread random seeds, id lists, an optional
-- think time (the latency runs), and one machine-readable result line.
--
-- Environment: BENCH_DELAY_MS, when set, makes each connection wait a random time (exponential,
-- this mean, in ms) before each request, so that the offered rate is about
-- connections * 1000 / (BENCH_DELAY_MS + latency). bench/run sets it to hold half the measured
-- maximum rate; wrk has no rate option (wrk2 is not packaged by Debian).

local threads = 0

function setup(thread)
   threads = threads + 1
   thread:set("thread_no", threads)
end

function bench_init()
   math.randomseed(os.time() * 7919 + (thread_no or 0) * 104729)
   for _ = 1, 10 do math.random() end
end

-- The non-empty lines of a file, as a list.
function bench_lines(path)
   local list = {}
   local file = assert(io.open(assert(path, "a file of ids is required"), "r"))
   for line in file:lines() do
      if line ~= "" then list[#list + 1] = line end
   end
   file:close()
   assert(#list > 0, path .. " is empty")
   return list
end

local delay_ms = tonumber(os.getenv("BENCH_DELAY_MS") or "")
if delay_ms then
   function delay()
      -- wrk truncates to whole milliseconds: add half of one so that the mean holds.
      return -math.log(1 - math.random()) * delay_ms + 0.5
   end
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      'BENCH {"requests":%d,"duration_us":%d,"bytes":%d,' ..
      '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
      '"latency_us":{"mean":%.1f,"p50":%d,"p90":%d,"p99":%d,"p999":%d,"max":%d}}\n',
      summary.requests, summary.duration, summary.bytes,
      e.connect, e.read, e.write, e.status, e.timeout,
      latency.mean, latency:percentile(50), latency:percentile(90),
      latency:percentile(99), latency:percentile(99.9), latency.max))
end
