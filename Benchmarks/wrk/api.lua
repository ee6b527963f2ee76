-- wrk script of `make bench-api` (scripts/bench-api.sh). One script for every endpoint:
--   BENCH_ENDPOINT  which request to send (see `builders` below)
--   BENCH_VALUES    a file with one value per line to rotate over: the same values the pgbench
--                   script of the endpoint rotates over (identifiers, `id<TAB>identifier`, days)
--   BENCH_EMAIL, BENCH_KEY  the API credentials (api-v2.md API-10)
-- The request shapes match Tests/RegistryTests/Benchmarks/BenchmarkSQLTests.swift, which checks
-- that the server runs exactly the pgbench script's statements for them.

local endpoint = os.getenv("BENCH_ENDPOINT")
local institution = os.getenv("BENCH_INSTITUTION") or "big.edu"
local values = {}
local values_file = os.getenv("BENCH_VALUES")
if values_file and values_file ~= "" then
  for line in io.lines(values_file) do
    if line ~= "" then values[#values + 1] = line end
  end
end

wrk.headers["X-Pharos-API-User"] = os.getenv("BENCH_EMAIL")
wrk.headers["X-Pharos-API-Key"] = os.getenv("BENCH_KEY")

-- Each thread gets its own number (for fresh identifiers) and random sequence.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

local counter = 0
function init(args)
  math.randomseed(os.time() * 1000 + (thread_number or 0) * 7919)
end

local function pick()
  return values[math.random(1, #values)]
end

-- api-v2.md API-1: every byte except A-Z a-z 0-9 - _ . ~ is percent-encoded (as the workers do).
local function escape(text)
  return (string.gsub(text, "[^A-Za-z0-9%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local function hex(digits)
  local parts = {}
  for i = 1, digits / 8 do parts[i] = string.format("%08x", math.random(0, 0xffffffff)) end
  return table.concat(parts)
end

local function uuid()
  return string.format("%08x-%04x-4%03x-%04x-%04x%08x", math.random(0, 0xffffffff), math.random(0, 0xffff),
    math.random(0, 0xfff), 0x8000 + math.random(0, 0x3fff), math.random(0, 0xffff), math.random(0, 0xffffffff))
end

-- The workers send Go's time.Now() in RFC 3339 with a fraction, so every fixity check is later
-- than the file's last one and moves `last_fixity_check` (DOM-73) as in production. Whole seconds
-- would let most checks of a busy file find it already checked in that second, and the benchmark
-- would skip the file update. LuaJIT's FFI reads the clock; plain Lua has seconds only.
local ffi_ok, ffi = pcall(require, "ffi")
local timeval
if ffi_ok then
  ffi.cdef("typedef struct { long tv_sec; long tv_usec; } bench_timeval; int gettimeofday(bench_timeval *tv, void *tz);")
  timeval = ffi.new("bench_timeval")
end

local function now()
  if timeval then
    ffi.C.gettimeofday(timeval, nil)
    return os.date("!%Y-%m-%dT%H:%M:%S", tonumber(timeval.tv_sec)) .. string.format(".%06dZ", tonumber(timeval.tv_usec))
  end
  return os.date("!%Y-%m-%dT%H:%M:%SZ")
end

local function event_json(event_type, outcome_detail, at)
  return '{"identifier":"' .. uuid() .. '","event_type":"' .. event_type .. '","date_time":"' .. at ..
    '","detail":"Worker detail","outcome":"Success","outcome_detail":"' .. outcome_detail ..
    '","outcome_information":"Worker information","object":"Exchange worker",' ..
    '"agent":"https://github.com/APTrust/preservation-services"}'
end

-- The ingest worker's six events per file (domain.md section 8.2 step 5).
local ingest_events = { "fixity check", "message digest calculation", "identifier assignment",
  "identifier assignment", "replication", "ingestion" }

local function batch_body(object_identifier)
  counter = counter + 1
  local run = string.format("wrk-%d-%d-%s", thread_number or 0, counter, hex(8))
  local at = now()
  local files = {}
  for n = 1, 100 do
    local identifier = string.format("%s/data/%s/file-%03d.txt", object_identifier, run, n)
    local sha256 = hex(64)
    local events = {}
    for k, event_type in ipairs(ingest_events) do
      local detail = "detail of step " .. k
      if k == 1 then detail = "sha256:" .. sha256 end
      if k == 5 then detail = "https://s3.us-west-2.amazonaws.com/aptrust.preservation.oregon/" .. uuid() end
      events[k] = event_json(event_type, detail, at)
    end
    files[n] = '{"identifier":"' .. identifier .. '","file_format":"text/plain",' ..
      '"uri":"https://s3.amazonaws.com/aptrust.preservation.storage/' .. uuid() .. '","size":' .. (1000 + n) ..
      ',"checksums":[{"algorithm":"md5","datetime":"' .. at .. '","digest":"' .. hex(32) .. '"},' ..
      '{"algorithm":"sha256","datetime":"' .. at .. '","digest":"' .. sha256 .. '"}],' ..
      '"premis_events":[' .. table.concat(events, ",") .. ']}'
  end
  return "[" .. table.concat(files, ",") .. "]"
end

-- wrk.format replaces wrk.headers when given a table, so the POST headers repeat the credentials.
local json_headers = { ["Content-Type"] = "application/json",
  ["X-Pharos-API-User"] = wrk.headers["X-Pharos-API-User"], ["X-Pharos-API-Key"] = wrk.headers["X-Pharos-API-Key"] }

local builders = {
  object_show = function()
    return wrk.format("GET", "/api/v2/objects/" .. escape(pick()))
  end,
  object_list = function()
    return wrk.format("GET", "/api/v2/objects/" .. institution .. "?page=" .. math.random(1, 10) .. "&per_page=100")
  end,
  object_events = function()
    return wrk.format("GET", "/api/v2/events/?object_identifier=" .. escape(pick()) .. "&page=1&per_page=500")
  end,
  items_poll = function()
    return wrk.format("GET", "/api/v2/items/?node_empty=true&page=1&per_page=100&queued=false&retry=true&status=Pending")
  end,
  event_create = function()
    local body = '{"identifier":"' .. uuid() .. '","event_type":"fixity check","date_time":"' .. now() ..
      '","detail":"Fixity check against registered hash","outcome":"Success","outcome_detail":"sha256:' .. hex(64) ..
      '","outcome_information":"Fixity matches","object":"Go language crypto/sha256",' ..
      '"agent":"https://github.com/APTrust/preserv","generic_file_identifier":"' .. pick() .. '"}'
    return wrk.format("POST", "/api/v2/events/", json_headers, body)
  end,
  create_batch = function()
    local id, identifier = string.match(pick(), "^(%d+)\t(.+)$")
    return wrk.format("POST", "/api/v2/files/" .. id .. "/create_batch", json_headers, batch_body(identifier))
  end,
  -- auditor.md AUD-4: the three event list queries with per_page=100.
  aud4_object = function()
    return wrk.format("GET", "/api/v2/events/?object_identifier=" .. escape(pick()) .. "&per_page=100")
  end,
  aud4_file = function()
    return wrk.format("GET", "/api/v2/events/?file_identifier=" .. escape(pick()) .. "&per_page=100")
  end,
  aud4_day = function()
    local day, next_day = string.match(pick(), "^(%S+)\t(%S+)$")
    return wrk.format("GET", "/api/v2/events/?institution=" .. institution .. "&date_time_after=" .. day ..
      "&date_time_before=" .. next_day .. "&per_page=100")
  end,
}

request = builders[endpoint]
if request == nil then error("unknown BENCH_ENDPOINT " .. tostring(endpoint)) end
-- No response() callback on purpose: it would hand every body to Lua, and wrk shares the two
-- CPUs with the server; wrk's summary already counts non-2xx answers.
