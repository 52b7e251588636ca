--[[
  Re-schedules a feed that is still scheduled: its next poll and its interval in one step
  (feed-scheduler.ts `update`, after a poll). A feed no longer in the schedule (paused or
  removed while it was being polled) is left out: a finishing poll does not bring it back.

  Input:
    KEYS[1]  the schedule (sorted set: feed id → next poll, ms)
    KEYS[2]  the intervals (hash: feed id → seconds)
    ARGV[1]  feed id
    ARGV[2]  interval, seconds
    ARGV[3]  next poll, ms

  Output:
    1 when re-scheduled, 0 when the feed was not scheduled
]]
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
  redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
  return 1
end
return 0
