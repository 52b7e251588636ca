--[[
  Starts the story change log (story-mirror.ts), under the write lock: appends the entries given
  (the previous layout's candidate sets, read by the caller: the migration), then a start entry,
  and sets the generation and the protocol version. Nothing when the lock is not the caller's or a
  log was started meanwhile.

  Input:
    KEYS[1]   the write lock
    KEYS[2]   the log's generation
    KEYS[3]   the log
    KEYS[4]   the protocol version
    ARGV[1]   lock token
    ARGV[2]   the new generation
    ARGV[3]   the protocol version
    ARGV[4..] seed entries' values (field 's' each)

  Output:
    1 started; 0 not (lock lost, or a log exists)
]]
if redis.call('GET', KEYS[1]) ~= ARGV[1] or redis.call('GET', KEYS[2]) then return 0 end
for i = 4, #ARGV do redis.call('XADD', KEYS[3], '*', 's', ARGV[i]) end
redis.call('XADD', KEYS[3], '*', 'g', ARGV[2])
redis.call('SET', KEYS[2], ARGV[2])
redis.call('SET', KEYS[4], ARGV[3])
return 1
