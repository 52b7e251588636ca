--[[
  Claims the feeds that are due: the first ARGV[2] members of the schedule with a score at or
  before ARGV[1] (the most overdue first), each moved to the lease time ARGV[3] in the same call,
  so two ticks never claim one feed and a claimed feed whose poll never reports back is due
  again when the lease lapses (feed-scheduler.ts). With a claim id, the claimed feeds are also
  recorded under it in the same call (the claims hash), until the tick has queued their polls:
  a tick that dies, or whose queueing a Redis host crash loses, leaves them there, and the next
  tick queues them, instead of the feeds waiting out the lease unpolled.

  Input:
    KEYS[1]  the schedule (sorted set: feed id → next poll, ms)
    KEYS[2]  the claims hash (claim id → JSON [id1, due1, …])
    ARGV[1]  now, ms
    ARGV[2]  at most this many feeds
    ARGV[3]  lease until, ms
    ARGV[4]  claim id ('' = not recorded)

  Output:
    {id1, due1, id2, due2, …} (due times as strings)
]]
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[2]))
-- ZADD in chunks: unpack() of thousands of arguments overflows Lua's C stack.
local chunk = {}
for i = 1, #due, 2 do
  chunk[#chunk + 1] = ARGV[3]
  chunk[#chunk + 1] = due[i]
  if #chunk >= 1000 then
    redis.call('ZADD', KEYS[1], 'XX', unpack(chunk))
    chunk = {}
  end
end
if #chunk > 0 then redis.call('ZADD', KEYS[1], 'XX', unpack(chunk)) end
if #due > 0 and ARGV[4] ~= '' then redis.call('HSET', KEYS[2], ARGV[4], cjson.encode(due)) end
return due
