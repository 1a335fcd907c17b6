-- wrk script for `npm run bench:intake`: every request reports a URL never seen before, and the
-- run's figures are printed as one JSON line at the end. Usage: wrk ... -s this.lua URL -- <tag>
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  tag = args[1] or "run"
  counter = 0
end

function request()
  counter = counter + 1
  local body = string.format('{"urls":["http://bench-%s-%d.example.com/%d"],"contentType":"images"}', tag, id, counter)
  return wrk.format("POST", "/api/v1/reports", { ["Content-Type"] = "application/json" }, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"durationUs":%d,"non2xx":%d,"socketErrors":%d,"timeouts":%d,"latencyUs":{"p50":%d,"p90":%d,"p99":%d,"max":%d}}\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
