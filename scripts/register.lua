-- wrk script: each request registers a new guest for the stop named by SLUG. With
-- PAUSE_MS, each connection waits that long between its requests (a steady rate beside
-- another load: 16 connections pausing 16 ms make about 500 registrations/s beside 64
-- connections reading the page).
local slug = os.getenv("SLUG") or "bench-stop"
local pause = tonumber(os.getenv("PAUSE_MS") or "0")
local thread_id = 0
local counter = 0

setup = function(thread)
  thread_id = thread_id + 1
  thread:set("id", thread_id)
end

request = function()
  counter = counter + 1
  local body = "slug=" .. slug
    .. "&form%5Bname%5D=Guest+" .. counter
    .. "&form%5Bemail%5D=guest-" .. id .. "-" .. counter .. "%40example.com"
    .. "&form%5Bcompany%5D=Hunan+Chamber+of+Commerce"
    .. "&form%5Bconsent_data%5D=on"
  return wrk.format("POST", "/api/registrations/register",
    { ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
end

if pause > 0 then
  delay = function()
    return pause
  end
end

local statuses = {}
response = function(status)
  statuses[status] = (statuses[status] or 0) + 1
end

done = function(summary, latency, requests)
  io.write(string.format("registrations: %d requests, non-2xx/3xx %d\n", summary.requests, summary.errors.status))
end
