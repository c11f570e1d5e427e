-- wrk script for ServerLoadBenchmark: POSTs the request bodies of a file (one JSON body per line) in turn, with
-- a bearer token, and times every request itself (wrk's own latency histogram cannot tell accepted requests from
-- shed ones). Run with as many threads as connections (-t N -c N): a thread then has one request in flight at a
-- time, so the time between request() and response() is that request's latency.
--   AUTOGLM_BENCH_TOKEN=<JWT> wrk -t N -c N -d 20s -s predict.lua URL -- BODIES RATE N
-- (the token from the environment, where other users of the machine cannot read it as they can a command line).
-- RATE > 0 paces the whole run at RATE requests/s as an open schedule (each of the N connections sends at its own
-- fixed interval, catching up after a slow answer; latency is timed from the actual send, so a request held back
-- behind schedule does not count its wait); 0 sends the next request as soon as the answer arrives.
-- done() prints one line: "WRK {json}" with counts per HTTP status and per envelope code, the accepted (200)
-- requests' latency percentiles (and how many of them carry a record's failure) in milliseconds, and those of the refused ones (429 and 503: how fast it sheds).
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } wrk_timespec;
int clock_gettime(int clk_id, wrk_timespec *tp);
]]
local ts = ffi.new("wrk_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC, the clock of Java's System.nanoTime
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local threads = {}
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("id", thread_count)
  table.insert(threads, thread)
end

function init(args)
  bodies = {}
  for line in io.lines(args[1]) do
    bodies[#bodies + 1] = line
  end
  token = os.getenv("AUTOGLM_BENCH_TOKEN")
  local rate = tonumber(args[2] or "0")
  connections = tonumber(args[3] or "1")
  -- this thread's one connection sends every interval ms; threads start spread over one interval
  interval = rate > 0 and connections * 1000 / rate or 0
  next_due = now_ms() + interval * (id - 1) / connections
  cursor = (id * 7919) % #bodies -- threads start at different texts
  accepted = {}
  refused = {}
  failures = 0 -- 200 answers whose record failed (the model's error, in the envelope)
  statuses = {}
  codes = {}
  sent_at = 0
end

function request()
  cursor = cursor % #bodies + 1
  sent_at = now_ms()
  return wrk.format("POST", nil,
    { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }, bodies[cursor])
end

function response(status, headers, body)
  local took = now_ms() - sent_at
  local s = tostring(status)
  statuses[s] = (statuses[s] or 0) + 1
  if status == 200 then
    accepted[#accepted + 1] = took
    if body and string.find(body, '"failure"', 1, true) then
      failures = failures + 1
    end
  elseif status == 429 or status == 503 then
    refused[#refused + 1] = took
  end
  local code = body and string.match(body, '^{"code":(%d+)')
  if code then
    codes[code] = (codes[code] or 0) + 1
  end
end

function delay()
  if interval <= 0 then
    return 0
  end
  next_due = next_due + interval
  local wait = next_due - now_ms()
  if wait < 0 then
    return 0
  end
  return wait
end

local function percentile(sorted, p)
  if #sorted == 0 then
    return -1
  end
  local i = math.ceil(p * #sorted)
  if i < 1 then i = 1 end
  return sorted[i]
end

local function json_counts(t)
  local parts = {}
  for k, v in pairs(t) do
    parts[#parts + 1] = string.format('"%s":%d', k, v)
  end
  return "{" .. table.concat(parts, ",") .. "}"
end

function done(summary, latency, requests)
  local all, shed, statuses_all, codes_all, failed = {}, {}, {}, {}, 0
  for _, thread in ipairs(threads) do
    failed = failed + thread:get("failures")
    for _, v in ipairs(thread:get("accepted")) do
      all[#all + 1] = v
    end
    for _, v in ipairs(thread:get("refused")) do
      shed[#shed + 1] = v
    end
    for k, v in pairs(thread:get("statuses")) do
      statuses_all[k] = (statuses_all[k] or 0) + v
    end
    for k, v in pairs(thread:get("codes")) do
      codes_all[k] = (codes_all[k] or 0) + v
    end
  end
  table.sort(all)
  table.sort(shed)
  io.write(string.format(
    'WRK {"seconds":%.3f,"requests":%d,"connectErrors":%d,"readErrors":%d,"writeErrors":%d,"timeouts":%d,'
      .. '"statuses":%s,"codes":%s,"accepted":%d,"recordFailures":%d,"p50":%.2f,"p90":%.2f,"p99":%.2f,"max":%.2f,'
      .. '"refusedP50":%.2f,"refusedP99":%.2f}\n',
    summary.duration / 1e6, summary.requests, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.timeout, json_counts(statuses_all), json_counts(codes_all), #all, failed,
    percentile(all, 0.50), percentile(all, 0.90), percentile(all, 0.99), percentile(all, 1.0),
    percentile(shed, 0.50), percentile(shed, 0.99)))
end
