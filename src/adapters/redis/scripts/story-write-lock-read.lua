--[[
  Takes the story write lock (or renews it when this token holds it) and, in the same call, reads
  what a batch of assigns must read under it (story-assign.ts, step 3): the change-log entries
  after the caller's mirror position and the articles' story-of entries (the document frequencies
  are read before the lock, story-read-many.lua; story-mirror.ts says why one lock and a log).

  Input:
    KEYS[1]     the write lock (keys.storyWriteLock)
    KEYS[2]     the change log's generation (keys.storyLogGen)
    KEYS[3]     the change log (keys.storyLog)
    KEYS[4]     the protocol version (keys.storyProtocol)
    KEYS[5..]   the articles' story-of keys
    ARGV[1]     lock token
    ARGV[2]     lock TTL, ms
    ARGV[3]     the generation the caller's mirror was built from ('' for none)
    ARGV[4]     the last log entry the mirror applied ('' for none: the log was empty)
    ARGV[5]     the protocol version the caller speaks

  Output:
    {0}            the lock is held by someone else
    {2}            the protocol key names another version: the caller must not write
    {3}            there is no log yet (a new installation, a flushed Redis, or data of the
                   previous layout): the lock is held now; the caller starts the log (migration)
    {4}            the mirror's basis is gone (another generation; its last entry trimmed away or
                   lost in a Redis restart): the lock is released; the caller rebuilds from the log
    {1, {story id or false per article}, {log entries after ARGV[4], as XRANGE answers them}, µs}
                   (µs: Redis's clock when the lock was taken; the commit answers its own: the
                   lock's hold as Redis saw it, a bench figure)
]]
local token = ARGV[1]
if not redis.call('SET', KEYS[1], token, 'NX', 'PX', ARGV[2]) then
  if redis.call('GET', KEYS[1]) ~= token then return {0} end
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
local proto = redis.call('GET', KEYS[4])
if proto and proto ~= ARGV[5] then
  if redis.call('GET', KEYS[1]) == token then redis.call('DEL', KEYS[1]) end
  return {2}
end
local gen = redis.call('GET', KEYS[2])
if not gen then return {3} end
-- the mirror's last entry must still be in the log: then nothing after it was trimmed and the log
-- is the one it was built from (a Redis restored from an older snapshot lacks it)
local from = '-'
if ARGV[4] ~= '' then from = '(' .. ARGV[4] end
local basis
if ARGV[4] == '' then basis = redis.call('XLEN', KEYS[3]) == 0 else basis = #redis.call('XRANGE', KEYS[3], ARGV[4], ARGV[4]) == 1 end
if gen ~= ARGV[3] or not basis then
  redis.call('DEL', KEYS[1])
  return {4}
end
local of = {}
for i = 5, #KEYS, 4000 do
  local got = redis.call('MGET', unpack(KEYS, i, math.min(i + 3999, #KEYS)))
  for j = 1, #got do of[#of + 1] = got[j] end
end
local t = redis.call('TIME')
return {1, of, redis.call('XRANGE', KEYS[3], from, '+'), tonumber(t[1]) * 1000000 + tonumber(t[2])}
