--[[
  Counts a batch of articles in the trend counters, each once: an article's marker is set first,
  and a marker already there (a retried analyse job, a re-import, the same id twice in the batch)
  means it was counted — nothing more for it. The increments of the batch are summed per hash and
  field before they are applied, so articles sharing an hour cost one HINCRBY per field.

  Input:
    KEYS[1]            the outlets hash (trendOutlets)
    KEYS[3i-1 .. 3i+1] article i's counted marker (trendCounted), its UTC hour's hash (trendHour),
                       its UTC day's hash (trendDay); i = 1 .. (#KEYS - 1) / 3
    ARGV, per article in KEYS order:
      hour hash expiry, unix seconds (the hour + retention)
      day hash and marker expiry, unix seconds (the day + retention)
      outlet id
      outlet JSON {outlet, affiliation}
      n: how many of its fields go to the hour too (the first n)
      m: how many fields follow
      m fields, each + 1 in the day's hash (and the first n in the hour's)

  Output:
    per article, in order: 1 counted now, 0 counted before
]]
local sums = {}    -- hash key -> { field -> increment }
local expiry = {}  -- hash key -> unix seconds
local keys = {}    -- hash keys in first-seen order
local outlets = {} -- outlet id -> JSON
local outletIds = {}
local function add(key, exp, first, last)
  local s = sums[key]
  if s == nil then
    s = {}
    sums[key] = s
    expiry[key] = exp
    keys[#keys + 1] = key
  end
  for j = first, last do s[ARGV[j]] = (s[ARGV[j]] or 0) + 1 end
end

local out = {}
local a = 1
for i = 1, (#KEYS - 1) / 3 do
  local hourExp, dayExp, outletId, outletJson = ARGV[a], ARGV[a + 1], ARGV[a + 2], ARGV[a + 3]
  local n, m = tonumber(ARGV[a + 4]), tonumber(ARGV[a + 5])
  local first = a + 6
  a = first + m
  if redis.call('SET', KEYS[3 * i - 1], '1', 'EXAT', dayExp, 'NX') then
    out[i] = 1
    add(KEYS[3 * i], hourExp, first, first + n - 1)
    add(KEYS[3 * i + 1], dayExp, first, first + m - 1)
    if outlets[outletId] == nil then outletIds[#outletIds + 1] = outletId end
    outlets[outletId] = outletJson
  else
    out[i] = 0
  end
end
for _, key in ipairs(keys) do
  for field, k in pairs(sums[key]) do redis.call('HINCRBY', key, field, k) end
  redis.call('EXPIREAT', key, expiry[key])
end
for _, id in ipairs(outletIds) do redis.call('HSET', KEYS[1], id, outlets[id]) end
return out
