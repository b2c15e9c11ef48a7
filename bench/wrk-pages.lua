-- bench/wrk-pages.lua: wrk requests every crawlable page of the host in wrk's URL, in turn.
--
--   wrk -t1 -c64 -d10s -s bench/wrk-pages.lua http://127.0.0.11:8080/ -- SITE/pages.tsv [gzip]
--
-- SITE/pages.tsv: a header line, then url<TAB>title<TAB>price<TAB>item_occurrences per page.
-- "gzip" adds Accept-Encoding: gzip to every request. At the end it prints one line,
--   requests: N, bytes: N, errors: connect N read N write N status N timeout N
-- which bench/lib/benchlib.py wrk-rate reads next to wrk's own "Requests/sec:".

local paths = {}
local count = 0
local next_index = 0

function init(args)
  local tsv = args[1]
  if tsv == nil then
    error("wrk-pages.lua wants: -- SITE/pages.tsv [gzip]")
  end
  local headers = nil
  if args[2] == "gzip" then
    headers = { ["Accept-Encoding"] = "gzip" }
  elseif args[2] ~= nil then
    error("wrk-pages.lua: unknown option " .. args[2] .. " (only gzip)")
  end
  local origin = "http://" .. wrk.host .. ":" .. tostring(wrk.port)
  local first = true
  for line in io.lines(tsv) do
    if first then
      first = false -- the header
    else
      local url = line:match("^([^\t]*)")
      if url ~= nil and url:sub(1, #origin + 1) == origin .. "/" then
        count = count + 1
        paths[count] = wrk.format("GET", url:sub(#origin + 1), headers)
      end
    end
  end
  if count == 0 then
    error("wrk-pages.lua: no page of " .. origin .. " in " .. tsv)
  end
end

function request()
  next_index = next_index + 1
  if next_index > count then
    next_index = 1
  end
  return paths[next_index]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "requests: %d, bytes: %d, errors: connect %d read %d write %d status %d timeout %d\n",
    summary.requests, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout))
end
