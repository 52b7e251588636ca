--[[
  Records a spike unless its key spiked within its cooldown: the cooldown and the record are one
  step, so two runs of the spike job at once cannot both alert one key.

  Input:
    KEYS[1]  the key's cooldown string (spikeCooldown)
    KEYS[2]  the spikes sorted set
    ARGV[1]  spike id
    ARGV[2]  spike JSON
    ARGV[3]  cooldown, s
    ARGV[4]  score: the spike's window end, ms
    ARGV[5]  oldest score kept (window end − retention), ms

  Output:
    1 recorded, 0 the key is cooling down
]]
if redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3], 'NX') == false then return 0 end
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[5])
return 1
