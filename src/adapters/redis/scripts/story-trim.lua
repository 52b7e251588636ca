--[[
  Trims the /story index sets past the retention, and unregisters each set left empty, in one
  step (a set written meanwhile stays registered).

  Input:
    KEYS[1]    the index-key registry
    KEYS[2..]  index sets
    ARGV[1]    the bound ('(ms')

  Output:
    {entries removed, sets unregistered}
]]
local removed, dropped = 0, 0
for i = 2, #KEYS do
  removed = removed + redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', ARGV[1])
  if redis.call('ZCARD', KEYS[i]) == 0 then redis.call('SREM', KEYS[1], KEYS[i]) dropped = dropped + 1 end
end
return {removed, dropped}
