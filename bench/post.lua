-- wrk script: POST the body in $PACKET (default bench/packet10.json) and print one summary line.
-- CONTENT_TYPE (default application/json) and CONTENT_ENCODING (e.g. gzip, for a body already compressed) set the
-- request's headers, so that any prepared body file can be posted as it is.
local path = os.getenv("PACKET") or "bench/packet10.json"
local f = assert(io.open(path, "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = os.getenv("CONTENT_TYPE") or "application/json"
local encoding = os.getenv("CONTENT_ENCODING") or ""
if encoding ~= "" then
  wrk.headers["Content-Encoding"] = encoding
end

-- with DELAY_MS set, each connection waits that long before its next request: a paced run for latency
local pause = tonumber(os.getenv("DELAY_MS") or "0")
if pause > 0 then
  function delay() return pause end
end

function done(summary, latency, requests)
  local s = summary.duration / 1e6
  io.write(string.format("RESULT requests=%d rps=%.0f p50_ms=%.2f p99_ms=%.2f non2xx=%d errors=%d\n",
    summary.requests, summary.requests / s, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
