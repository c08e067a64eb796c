-- wrk script of weaklink's load harness.
-- Arguments (after --): a file of supplier ids, one a line, and a path in which {id}
-- is replaced by a random one of them for each request, so that requests spread over
-- the register. WRK_KEY, when set, is sent as a bearer token. done() prints one line,
-- "WRKRESULT {json}": requests, duration, latency percentiles, errors and the answers
-- counted by status.

local key = os.getenv("WRK_KEY")
if key and key ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. key
end

local threads = {}

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

local ids = {}
local path = "/"
local templated = false
statuses = {}

function init(args)
  local file = args[1]
  path = args[2] or "/"
  templated = string.find(path, "{id}", 1, true) ~= nil
  if templated then
    for line in io.lines(file) do
      if line ~= "" then ids[#ids + 1] = line end
    end
    if #ids == 0 then error("no supplier id in " .. file) end
  end
  math.randomseed(os.time() + 7919 * (tid or 0))
end

function request()
  local p = path
  if templated then
    p = string.gsub(path, "{id}", ids[math.random(#ids)], 1)
  end
  return wrk.format("GET", p)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    local s = thread:get("statuses")
    if s then
      for status, n in pairs(s) do
        counts[status] = (counts[status] or 0) + n
      end
    end
  end
  local parts = {}
  for status, n in pairs(counts) do
    parts[#parts + 1] = string.format('"%d":%d', status, n)
  end
  local e = summary.errors
  io.write(string.format(
    'WRKRESULT {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"max_us":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d,"status":%d},"statuses":{%s}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.timeout, e.status, table.concat(parts, ",")))
end
