--[[
  Merges one story into another, at once, and releases the locks; nothing when either story
  changed since it was read or the write lock is not the caller's (story-merge.ts). Run under the
  story write lock, so no assign can join the absorbed story meanwhile.

  Input: (KEYS in sections, their sizes in ARGV[1..5])
    KEYS  the survivor's story key, the absorbed story's key, the absorbed story's alias key,
          then nm alias keys of stories the absorbed one had absorbed,
          na story-of keys (the absorbed story's articles),
          nx index sets to leave, ni index sets to join,
          then the by-time index, the index-key registry, the pending-merges hash,
          then nl locks (the write lock), then the survivor's and the absorbed story's version
          keys and the version counter (keys.storyVersion: the merge sets the survivor's, drops
          the absorbed's), then the change log
    ARGV[1..5]   nm, na, nx, ni, nl
    ARGV[6]      SHA-1 of the survivor's JSON as read
    ARGV[7]      SHA-1 of the absorbed story's JSON as read
    ARGV[8]      the merged story's JSON
    ARGV[9]      survivor id
    ARGV[10]     absorbed id
    ARGV[11]     retention, s
    ARGV[12]     the merged story's lastSeen, ms (its score in the indexes)
    ARGV[13]     the merge event (JSON), kept in the pending-merges hash under the absorbed id
    ARGV[14]     lock token
    ARGV[15]     the change-log entry (field 'm': survivor, absorbed, the keys whose candidate
                 entries move; story-mirror.ts)

  Output:
    1 merged; 0 a story changed since it was read (the caller reads again); 2 already merged
]]
local nm, na, nx, ni, nl = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local survivor, absorbed, token = ARGV[9], ARGV[10], ARGV[14]
local locks = 3 + nm + na + nx + ni + 3
local function unlock()
  if nl > 0 then
    local held, mine = redis.call('MGET', unpack(KEYS, locks + 1, locks + nl)), {}
    for i = 1, nl do if held[i] == token then mine[#mine + 1] = KEYS[locks + i] end end
    if #mine > 0 then redis.call('DEL', unpack(mine)) end
  end
end
-- the write lock lapsed: someone else may be deciding on the stories as they are; read again
for i = 1, nl do if redis.call('GET', KEYS[locks + i]) ~= token then return 0 end end
if redis.call('GET', KEYS[3]) == survivor then unlock() return 2 end
local s, a = redis.call('GET', KEYS[1]), redis.call('GET', KEYS[2])
if s == false or a == false or redis.sha1hex(s) ~= ARGV[6] or redis.sha1hex(a) ~= ARGV[7] then unlock() return 0 end
redis.call('SET', KEYS[1], ARGV[8], 'EX', ARGV[11])
redis.call('DEL', KEYS[2])
local nk = #KEYS
-- the survivor's version: from the counter, never below Redis's clock in µs (a host crash takes
-- the counter back, not versions cached elsewhere: story-commit-many.lua)
local version = redis.call('INCR', KEYS[nk - 1])
local clock = redis.call('TIME')
clock = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
if version < clock then
  version = clock
  redis.call('SET', KEYS[nk - 1], string.format('%d', version))
end
-- as digits (a number argument's formatting is the server's: sixteen digits must stay exact)
version = string.format('%d', version)
redis.call('SET', KEYS[nk - 3], version, 'EX', ARGV[11])
redis.call('DEL', KEYS[nk - 2])
redis.call('SET', KEYS[3], survivor, 'EX', ARGV[11])
local k = 3
for i = 1, nm do redis.call('SET', KEYS[k + i], survivor, 'EX', ARGV[11]) end
k = k + nm
for i = 1, na do redis.call('SET', KEYS[k + i], survivor, 'EX', ARGV[11]) end
k = k + na
-- the candidate index: the absorbed story's entries become the survivor's in every mirror
redis.call('XADD', KEYS[nk], '*', 'm', ARGV[15])
for i = 1, nx do redis.call('ZREM', KEYS[k + i], absorbed) end
k = k + nx
for i = 1, ni do redis.call('ZADD', KEYS[k + i], 'GT', ARGV[12], survivor) end
local byTime, registry, pending = KEYS[k + ni + 1], KEYS[k + ni + 2], KEYS[k + ni + 3]
for i = k + 1, k + ni, 500 do redis.call('SADD', registry, unpack(KEYS, i, math.min(i + 499, k + ni))) end
redis.call('ZREM', byTime, absorbed)
redis.call('ZADD', byTime, 'GT', ARGV[12], survivor)
redis.call('HSET', pending, absorbed, ARGV[13])
unlock()
return 1
