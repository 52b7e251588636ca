--[[
  Renews the story write lock while a long batch decides (story-assign.ts); never takes it: a lock
  that lapsed may have been taken and used by someone else meanwhile.

  Input:
    KEYS[1]   the write lock
    ARGV[1]   lock token
    ARGV[2]   lock TTL, ms

  Output:
    1 renewed; 0 the lock is not the caller's any more
]]
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
