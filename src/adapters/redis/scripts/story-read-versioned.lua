--[[
  Story records with their versions, skipping the bytes of those the caller holds already
  (story-assign.ts, steps 3 and the commit's re-reads). A record's version (keys.storyVersion) is
  set by every write of it from one counter, so an equal version means equal bytes.

  Input:
    KEYS[1..n]      the story records
    KEYS[n+1..2n]   their version keys (same order)
    ARGV[1..n]      per story the version the caller holds, '' for none

  Output:
    per story two values: its version ('0' for a record written before versions existed) and its
    JSON, or '' when the caller's version is the current one; false, false when there is no record
]]
local n = #KEYS / 2
local out = {}
if n == 0 then return out end
-- the versions in one call (a batch reads ~10 stories an article; a GET each was most of the calls)
local vs = {}
for i = 1, n, 4000 do
  local got = redis.call('MGET', unpack(KEYS, n + i, n + math.min(i + 3999, n)))
  for j = 1, #got do vs[i + j - 1] = got[j] end
end
for i = 1, n do
  local v = vs[i]
  if v == false then
    -- a record of the old format (no version) or none
    if redis.call('EXISTS', KEYS[i]) == 1 then v = '0' end
  end
  if v == false then
    out[#out + 1] = false
    out[#out + 1] = false
  elseif v == ARGV[i] and v ~= '0' then
    out[#out + 1] = v
    out[#out + 1] = ''
  else
    local s = redis.call('GET', KEYS[i])
    if s == false then
      out[#out + 1] = false
      out[#out + 1] = false
    else
      out[#out + 1] = v
      out[#out + 1] = s
    end
  end
end
return out
