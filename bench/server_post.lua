-- wrk script: POST create with a unique client id per request (thread number + counter), so
-- every request is a real insert, not an idempotent retry.
local thread_count = 0
function setup(thread)
  thread:set("tid", thread_count)
  thread_count = thread_count + 1
end

local counter = 0
function request()
  counter = counter + 1
  local body = string.format('{"id":"bench-%d-%d","kind":"insight","body":"Benchmark post %d: short and sharp."}',
                             tid, counter, counter)
  return wrk.format("POST", nil, nil, body)
end
