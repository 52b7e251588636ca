--[[
  The stories of a batch's articles, and the document frequencies of their terms
  (story-assign.ts, step 1).

  Input:
    KEYS[1]     the DF hash of this epoch
    KEYS[2]     the DF hash of the previous epoch
    KEYS[3..]   the articles' story-of keys
    ARGV        the DF fields to read

  Output:
    {{story id or false per article}, {per field the sum of both epochs' counts}}
]]
local of = {}
-- one MGET per chunk, not a GET per article
for i = 3, #KEYS, 4000 do
  local got = redis.call('MGET', unpack(KEYS, i, math.min(i + 3999, #KEYS)))
  for j = 1, #got do of[#of + 1] = got[j] end
end
local counts = {}
if #ARGV > 0 then
  local a = redis.call('HMGET', KEYS[1], unpack(ARGV))
  local b = redis.call('HMGET', KEYS[2], unpack(ARGV))
  for i = 1, #ARGV do counts[i] = (tonumber(a[i]) or 0) + (tonumber(b[i]) or 0) end
end
return {of, counts}
