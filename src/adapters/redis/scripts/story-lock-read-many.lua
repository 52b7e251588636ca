--[[
  Takes the locks of a batch's matching keys, all or nothing, and reads the candidate sets the
  engine's lookups need (story-assign.ts, step 2).

  Input:
    KEYS[1..n]      the n lock keys
    KEYS[n+1..2n]   the n candidate sets (same order)
    ARGV[1]         lock token
    ARGV[2]         lock TTL, ms
    ARGV[3..]       read requests, four values each: set number (1..n), max score, min score, limit

  Output:
    0 when a lock is held by someone else (nothing taken), else {1, then per request one string:
    the reply of ZREVRANGEBYSCORE set max min WITHSCORES LIMIT 0 limit joined with ','
    ('id,score,id,score...'; '' for none)}. One string rather than a nested array: a batch reads
    a few thousand entries, and turning each into a Lua value, a RESP element and a JavaScript
    string was most of this script's and the client's decoding time. Story ids hold no ','.
]]
local n = #KEYS / 2
if n > 0 then
  if redis.call('EXISTS', unpack(KEYS, 1, n)) > 0 then return 0 end
  for i = 1, n do redis.call('SET', KEYS[i], ARGV[1], 'PX', ARGV[2]) end
end
local out = {1}
for r = 3, #ARGV, 4 do
  out[#out + 1] = table.concat(redis.call('ZREVRANGEBYSCORE', KEYS[n + tonumber(ARGV[r])], ARGV[r + 1], ARGV[r + 2], 'WITHSCORES', 'LIMIT', 0, ARGV[r + 3]), ',')
end
return out
