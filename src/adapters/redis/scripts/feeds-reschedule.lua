--[[
  Re-schedules the feeds of a poll-due group that are still scheduled, each with its next poll
  and, when given, its new interval (feed-scheduler.ts `reschedule`, when some of the group's
  intervals moved: `update` for many feeds in one call). A feed no longer in the schedule (paused
  or removed while it was being polled) is left out: a finishing poll does not bring it back.

  Input:
    KEYS[1]  the schedule (sorted set: feed id -> next poll, ms)
    KEYS[2]  the intervals (hash: feed id -> seconds)
    ARGV     triples: feed id, next poll (ms), interval (s; '' = keep the one recorded)

  Output:
    how many feeds were re-scheduled
]]
local n = 0
for i = 1, #ARGV, 3 do
  local id = ARGV[i]
  if redis.call('ZSCORE', KEYS[1], id) then
    redis.call('ZADD', KEYS[1], ARGV[i + 1], id)
    if ARGV[i + 2] ~= '' then redis.call('HSET', KEYS[2], id, ARGV[i + 2]) end
    n = n + 1
  end
end
return n
