-- wrk script: each request asks for the first page of an event's registrations (the URL
-- given to wrk) changed since a time no other request of the run names, so the server
-- cannot answer from a page it kept: every answer is read from the database and
-- serialized again (the registrations are all newer than those times, so each page is
-- the full 100).
local thread_id = 0
local counter = 0

setup = function(thread)
  thread_id = thread_id + 1
  thread:set("id", thread_id)
end

request = function()
  counter = counter + 1
  local micros = (id * 1000000 + counter) % 1000000000
  local since = string.format("2020-01-01T00:%02d:%02d.%06dZ",
    math.floor(micros / 60000000) % 60, math.floor(micros / 1000000) % 60, micros % 1000000)
  return wrk.format("GET", wrk.path .. "?updated_since=" .. since)
end
