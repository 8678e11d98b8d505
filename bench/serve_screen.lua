-- wrk script for bench/serve_load.sh: POST /v1/screen with one name per
-- request. Names are first x last names from many cultures (3,600 pairs),
-- or the second column of the CSV in NAMES_CSV (e.g. a query file). The key
-- comes from INTERDICT_KEY.
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
init = function(args)
  -- each thread starts at its own place in the list
  i = math.random(#names)
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
