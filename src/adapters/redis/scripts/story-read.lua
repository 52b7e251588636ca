--[[
  An article's story, and the document frequencies of its terms (story-store.ts, assign step 1).

  Input:
    KEYS[1]  the article's story-of key
    KEYS[2]  the DF hash of this epoch
    KEYS[3]  the DF hash of the previous epoch
    ARGV     the DF fields to read

  Output:
    {story id or false, then per field the sum of both epochs' counts}
]]
local a = redis.call('HMGET', KEYS[2], unpack(ARGV))
local b = redis.call('HMGET', KEYS[3], unpack(ARGV))
local out = {redis.call('GET', KEYS[1])}
for i = 1, #ARGV do out[i + 1] = (tonumber(a[i]) or 0) + (tonumber(b[i]) or 0) end
return out
