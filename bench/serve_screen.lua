-- wrk script: POST /v1/screen with single names, most of which do not alert.
-- The key comes from the environment (INTERDICT_KEY).
local names = {"Jane Smith", "Robert Miller", "Maria Garcia", "Chen Wei", "Olga Petrova",
               "Ahmed Hassan", "Emma Johnson", "Lucas Martin", "Sofia Rossi", "Kenji Tanaka",
               "Fatima Zahra", "John Williams", "Anna Kowalski", "Pedro Alvarez", "Ingrid Berg"}
local key = os.getenv("INTERDICT_KEY") or ""
local bodies = {}
for i, n in ipairs(names) do
  bodies[i] = '{"name":"' .. n .. '","type":"person","customer_id":"c' .. i .. '"}'
end
local counter = 0
request = function()
  counter = counter + 1
  local body = bodies[(counter % #bodies) + 1]
  return wrk.format("POST", "/v1/screen",
                    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key},
                    body)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("requests/s %.0f\n", summary.requests / (summary.duration / 1e6)))
  io.write(string.format("latency p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms\n",
                         latency:percentile(50) / 1000, latency:percentile(90) / 1000,
                         latency:percentile(99) / 1000, latency:percentile(99.9) / 1000,
                         latency.max / 1000))
  io.write(string.format("errors: connect %d, read %d, write %d, timeout %d, non-2xx %d\n",
                         e.connect, e.read, e.write, e.timeout, summary.requests and (e.status or 0) or 0))
end
