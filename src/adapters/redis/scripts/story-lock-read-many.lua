--[[
  Takes the locks of a batch's matching keys, all or nothing, and reads the candidate sets the
  engine's lookups need (story-assign.ts, step 2).

  Input:
    KEYS[1..n]      the n lock keys
    KEYS[n+1..2n]   the n candidate sets (same order)
    ARGV[1]         lock token
    ARGV[2]         lock TTL, ms
    ARGV[3..]       set reads, five values each: set number (1..n), the highest max score, the
                    lowest min score and the lowest max score of the articles reading it, and
                    `limit` (each article reads the `limit` latest in its own [min, max])

  Output:
    0 when a lock is held by someone else (nothing taken), else {1, then per read one string:
    ZREVRANGEBYSCORE set highest-max lowest-min WITHSCORES LIMIT 0 (limit + c) joined with ','
    ('id,score,id,score...'; '' for none)}, where c counts the entries above the lowest max: an
    article's `limit` latest in its window are then among the first (limit + c) entries (those
    above its max number at most c), so the client cuts each article's read from this one.
    One read per set, not per article (a batch's articles share many sets), and one string rather
    than a nested array: turning each entry into a Lua value, a RESP element and a JavaScript
    string was most of this script's and the client's decoding time. Story ids hold no ','.
]]
local n = #KEYS / 2
if n > 0 then
  if redis.call('EXISTS', unpack(KEYS, 1, n)) > 0 then return 0 end
  for i = 1, n do redis.call('SET', KEYS[i], ARGV[1], 'PX', ARGV[2]) end
end
local out = {1}
for r = 3, #ARGV, 5 do
  local set = KEYS[n + tonumber(ARGV[r])]
  local above = redis.call('ZCOUNT', set, '(' .. ARGV[r + 3], ARGV[r + 1])
  out[#out + 1] = table.concat(redis.call('ZREVRANGEBYSCORE', set, ARGV[r + 1], ARGV[r + 2], 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[r + 4]) + above), ',')
end
return out
