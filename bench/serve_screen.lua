-- wrk script for bench/serve_load.sh: POST /v1/screen with one name per
-- request. Names are first x last names from many cultures (3,600 pairs),
-- or the second column of the CSV in NAMES_CSV (e.g. a query file). The key
-- comes from INTERDICT_KEY. With RATE (requests per second, all threads
-- together) the requests are sent on a schedule at that rate, each thread
-- taking its share, instead of as fast as the answers come back.
local first = {"James", "Maria", "Wei", "Olga", "Ahmed", "Emma", "Lucas", "Sofia", "Kenji",
  "Fatima", "John", "Anna", "Pedro", "Ingrid", "Ravi", "Aisha", "Dmitri", "Chloe", "Mehmet",
  "Yuki", "Carlos", "Elena", "Samuel", "Amara", "Jonas", "Leila", "Tomasz", "Grace", "Hiroshi",
  "Noura", "Pablo", "Sara", "Viktor", "Mei", "Kwame", "Isabel", "Omar", "Hannah", "Arjun",
  "Lucia", "Felix", "Zainab", "Mateo", "Freya", "Ibrahim", "Nina", "Andre", "Priya", "Oskar",
  "Ayumi", "Daniel", "Chiara", "Tariq", "Elif", "Marco", "Svetlana", "Kofi", "Astrid", "Jin",
  "Beatriz"}
local last = {"Smith", "Garcia", "Chen", "Petrova", "Hassan", "Johnson", "Martin", "Rossi",
  "Tanaka", "Zahra", "Williams", "Kowalski", "Alvarez", "Berg", "Sharma", "Okafor", "Ivanov",
  "Dubois", "Yilmaz", "Suzuki", "Fernandez", "Popescu", "Cohen", "Mensah", "Schmidt", "Haddad",
  "Nowak", "Murphy", "Sato", "Khalil", "Romero", "Lindqvist", "Horvat", "Wang", "Asante",
  "Moreira", "Farouk", "Becker", "Patel", "Bianchi", "Weber", "Bello", "Torres", "Larsen",
  "Aziz", "Novak", "Silva", "Iyer", "Nilsson", "Kato", "Keller", "Ricci", "Qureshi", "Demir",
  "Conti", "Volkova", "Boateng", "Eriksen", "Park", "Costa"}
local key = os.getenv("INTERDICT_KEY") or ""
local names = {}
local csv = os.getenv("NAMES_CSV")
if csv and csv ~= "" then
  local f = assert(io.open(csv, "r"))
  local header = true
  for line in f:lines() do
    if not header and not line:find('"', 1, true) then
      local name = line:match("^[^,]*,([^,]+)")
      if name then names[#names + 1] = name end
    end
    header = false
  end
  f:close()
else
  for _, l in ipairs(last) do
    for _, fn in ipairs(first) do names[#names + 1] = fn .. " " .. l end
  end
end
local headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key}
local i = 0
local rate = tonumber(os.getenv("RATE") or "")
local interval_us, next_us, now_us
init = function(args)
  -- each thread starts at its own place in the list
  i = math.random(#names)
end
if rate and rate > 0 then
  local ffi = require("ffi")
  ffi.cdef[[
    typedef struct { long tv_sec; long tv_nsec; } interdict_timespec;
    int clock_gettime(int clock, interdict_timespec *ts);
  ]]
  local ts = ffi.new("interdict_timespec")
  now_us = function()
    ffi.C.clock_gettime(1, ts)   -- CLOCK_MONOTONIC
    return tonumber(ts.tv_sec) * 1e6 + tonumber(ts.tv_nsec) / 1e3
  end
  -- each request takes the thread's next slot; a thread that fell behind
  -- starts afresh from now rather than sending a burst to catch up
  delay = function()
    local now = now_us()
    if not interval_us then
      interval_us = tonumber(os.getenv("WRK_THREADS") or "2") * 1e6 / rate
      next_us = now
    end
    next_us = math.max(next_us + interval_us, now)
    return (next_us - now) / 1000
  end
end
request = function()
  i = i % #names + 1
  return wrk.format("POST", "/v1/screen", headers,
                    '{"name":"' .. names[i]:gsub('[\\"]', '') .. '","type":"person"}')
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("requests/s: %.0f (%d requests in %.1f s, %d names)\n",
                         summary.requests / (summary.duration / 1e6), summary.requests,
                         summary.duration / 1e6, #names))
  io.write(string.format("latency: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms\n",
                         latency:percentile(50) / 1000, latency:percentile(90) / 1000,
                         latency:percentile(99) / 1000, latency:percentile(99.9) / 1000,
                         latency.max / 1000))
  io.write(string.format("errors: connect %d, read %d, write %d, timeout %d, non-2xx %d\n",
                         e.connect, e.read, e.write, e.timeout, e.status))
end
