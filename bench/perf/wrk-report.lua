-- Prints one line a script can read after a wrk run: requests, errors, requests/s and latency percentiles in ms.
-- WRK_HEADER_NAME/WRK_HEADER_VALUE (optional) add one more header, e.g. If-None-Match for a 304.
function init(args)
  local name = os.getenv("WRK_HEADER_NAME")
  if name and name ~= "" then
    wrk.headers[name] = os.getenv("WRK_HEADER_VALUE")
  end
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout
  io.write(string.format("wrk-report requests=%d errors=%d rps=%.1f p50=%.2f p99=%.2f max=%.2f\n",
    summary.requests, errors, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
