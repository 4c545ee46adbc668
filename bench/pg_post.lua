-- wrk script for bench/pg_bench.sh: POST create with a unique id per request into one of
-- GROVE_MODULES modules (round robin; 1: all into one module), so every request is an insert.
local modules = tonumber(os.getenv("GROVE_MODULES") or "1")
local run = os.getenv("GROVE_RUN") or "run"   -- ids stay unique across runs on one database
local thread_count = 0
function setup(thread)
  thread:set("tid", thread_count)
  thread_count = thread_count + 1
end

local counter = 0
function request()
  counter = counter + 1
  local module = string.format("bench-%d", counter % modules)
  local body = string.format('{"id":"%s-%d-%d","kind":"insight","body":"Benchmark post %d: short and sharp."}',
                             run, tid, counter, counter)
  return wrk.format("POST", "/api/v1/modules/" .. module .. "/posts", nil, body)
end
