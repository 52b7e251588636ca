--[[
  Counts one article in the trend counters, once: the article's marker is set first, and a
  marker already there means it was counted (a retried analyse job, a re-import) — nothing more.

  Input:
    KEYS[1]  the article's counted marker (trendCounted)
    KEYS[2]  its UTC hour's hash (trendHour)
    KEYS[3]  its UTC day's hash (trendDay)
    KEYS[4]  the outlets hash (trendOutlets)
    ARGV[1]  hour hash expiry, unix seconds (the hour + retention)
    ARGV[2]  day hash and marker expiry, unix seconds (the day + retention)
    ARGV[3]  outlet id
    ARGV[4]  outlet JSON {outlet, affiliation}
    ARGV[5]  n: how many of the fields that follow go to the hour too (the first n)
    ARGV[6…] fields, each + 1 in the day's hash (and the first n in the hour's)

  Output:
    1 counted, 0 counted before
]]
if redis.call('SET', KEYS[1], '1', 'EXAT', ARGV[2], 'NX') == false then return 0 end
local n = tonumber(ARGV[5])
for i = 6, #ARGV do
  if i - 6 < n then redis.call('HINCRBY', KEYS[2], ARGV[i], 1) end
  redis.call('HINCRBY', KEYS[3], ARGV[i], 1)
end
redis.call('EXPIREAT', KEYS[2], ARGV[1])
redis.call('EXPIREAT', KEYS[3], ARGV[2])
redis.call('HSET', KEYS[4], ARGV[3], ARGV[4])
return 1
