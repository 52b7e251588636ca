--[[
  Merges one story into another, at once, and releases the locks; nothing when either story
  changed since it was read (story-merge.ts). Run under the locks of every matching key the
  absorbed story's articles can be filed under, so no assign can join it meanwhile.

  Input: (KEYS in sections, their sizes in ARGV[1..6])
    KEYS  the survivor's story key, the absorbed story's key, the absorbed story's alias key,
          then nm alias keys of stories the absorbed one had absorbed,
          na story-of keys (the absorbed story's articles),
          nc candidate sets, nx index sets to leave, ni index sets to join,
          then the by-time index, the index-key registry, the pending-merges hash,
          then nl locks, then the survivor's and the absorbed story's version keys and the
          version counter (keys.storyVersion: the merge sets the survivor's, drops the absorbed's)
    ARGV[1..6]   nm, na, nc, nx, ni, nl
    ARGV[7]      SHA-1 of the survivor's JSON as read
    ARGV[8]      SHA-1 of the absorbed story's JSON as read
    ARGV[9]      the merged story's JSON
    ARGV[10]     survivor id
    ARGV[11]     absorbed id
    ARGV[12]     retention, s
    ARGV[13]     the merged story's lastSeen, ms (its score in the indexes)
    ARGV[14]     the merge event (JSON), kept in the pending-merges hash under the absorbed id
    ARGV[15]     lock token

  Output:
    1 merged; 0 a story changed since it was read (the caller reads again); 2 already merged
]]
local nm, na, nc, nx, ni, nl = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local survivor, absorbed = ARGV[10], ARGV[11]
local function unlock()
  local k = 3 + nm + na + nc + nx + ni + 3
  if nl > 0 then
    local held, mine = redis.call('MGET', unpack(KEYS, k + 1, k + nl)), {}
    for i = 1, nl do if held[i] == ARGV[15] then mine[#mine + 1] = KEYS[k + i] end end
    if #mine > 0 then redis.call('DEL', unpack(mine)) end
  end
end
if redis.call('GET', KEYS[3]) == survivor then unlock() return 2 end
local s, a = redis.call('GET', KEYS[1]), redis.call('GET', KEYS[2])
if s == false or a == false or redis.sha1hex(s) ~= ARGV[7] or redis.sha1hex(a) ~= ARGV[8] then unlock() return 0 end
redis.call('SET', KEYS[1], ARGV[9], 'EX', ARGV[12])
redis.call('DEL', KEYS[2])
local nk = #KEYS
redis.call('SET', KEYS[nk - 2], redis.call('INCR', KEYS[nk]), 'EX', ARGV[12])
redis.call('DEL', KEYS[nk - 1])
redis.call('SET', KEYS[3], survivor, 'EX', ARGV[12])
local k = 3
for i = 1, nm do redis.call('SET', KEYS[k + i], survivor, 'EX', ARGV[12]) end
k = k + nm
for i = 1, na do redis.call('SET', KEYS[k + i], survivor, 'EX', ARGV[12]) end
k = k + na
-- candidate sets: the absorbed story's entries become the survivor's (the later time wins)
for i = 1, nc do
  local t = redis.call('ZSCORE', KEYS[k + i], absorbed)
  if t then
    redis.call('ZREM', KEYS[k + i], absorbed)
    redis.call('ZADD', KEYS[k + i], 'GT', t, survivor)
  end
end
k = k + nc
for i = 1, nx do redis.call('ZREM', KEYS[k + i], absorbed) end
k = k + nx
for i = 1, ni do redis.call('ZADD', KEYS[k + i], 'GT', ARGV[13], survivor) end
local byTime, registry, pending = KEYS[k + ni + 1], KEYS[k + ni + 2], KEYS[k + ni + 3]
for i = k + 1, k + ni, 500 do redis.call('SADD', registry, unpack(KEYS, i, math.min(i + 499, k + ni))) end
redis.call('ZREM', byTime, absorbed)
redis.call('ZADD', byTime, 'GT', ARGV[13], survivor)
redis.call('HSET', pending, absorbed, ARGV[14])
unlock()
return 1
