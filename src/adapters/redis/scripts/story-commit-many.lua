--[[
  Everything a batch of assigns writes, at once, with its change-log entry, and the write lock
  released; nothing when a story changed since it was read or the lock is no longer the caller's
  (story-assign.ts, step 4).

  Input: (KEYS in sections, their sizes in ARGV[1..5])
    KEYS  ns stories, ns their version keys, na story-of keys, na vector keys, ni index sets, then
          the by-time index, the index-key registry, the DF hash, the version counter, the write
          lock, the change log, the log's generation, the protocol version
    ARGV[1..5]   ns, na, ni, nt (by-time pairs), nd (DF fields; negative: -nd fields in one argument)
    ARGV[6]      lock token
    ARGV[7]      retention, s
    ARGV[8]      vectors' TTL, s (2 x window)
    ARGV[9]      DF TTL, s
    ARGV[10]     articles counted in the DF
    ARGV[11]     the change-log entry (field 'b': story-mirror.ts's format), '' for none
    ARGV[12]     the log's trim bound (MINID, ms: 2 x window of wall-clock time before now)
    ARGV[13]     '1': the lock is not taken yet, take it here (the optimistic batch's first try:
                 story-assign.ts), '' it is the caller's already
    ARGV[14..18] with '1': the caller's mirror generation, its last log entry ('' none), the
                 protocol version it speaks, the lock's TTL (ms), and '1' to keep the lock when
                 others committed since ('': release it, the caller checks its decisions unlocked)
    then         per story: '-' (leave as it is), '' (must not exist) or the version read ('0':
                 a record of the old format, without a version key), and the new JSON
    then         per article: its story id, its packed vectors
    then         per index set: m, then m pairs (score, story id)
    then         nt pairs (score, story id) for the by-time index
    then         nd pairs (DF field, count), or with nd negative one argument: a JSON array of the
                 -nd fields then their -nd counts (numbers), decoded by cjson (the caller sends
                 pairs when a field holds a lone surrogate: JSON escapes it and cjson refuses that)

  Output: with ARGV[13] '1', first: {-2} the lock is held by someone else; {-3} the protocol,
    the generation or the mirror's basis is not the caller's (nothing held: the caller takes the
    lock the usual way, story-write-lock-read.lua, which says what is wrong); {-4, {story-of per
    article}, {log entries after ARGV[15]}, µs} others committed since the caller's position or
    an article was filed meanwhile: the lock is the caller's now, nothing is written (as
    story-write-lock-read.lua's answer); the same as {-5, ...} without the lock when ARGV[18] is
    not '1'. Else, and in any case without ARGV[13]:
    {1, v, id, µs} (v: the version every story written now has; id: the log entry's; µs: Redis's
    clock at the lock's release, a bench figure), {0, j...}: the
    stories (1-based) that changed since they were read, or {-1}: the write lock is not the
    caller's any more (it lapsed and someone else took it: the batch's decisions may have missed
    their writes, so nothing is written)

  Compare-and-set by version (keys.storyVersion), not by a hash of the JSON: hashing records of
  tens of kilobytes was most of this script's time. Every writer of a record sets its version
  from one counter (this script, story-merge.lua), so a version never comes back: not even after
  a host crash (appendfsync everysec) took the counter back with Redis's last second, while a
  process still holds a record of a lost version (its own write, cached by version: it would take
  that record for the story as it is, and its compare-and-set would pass). So a version is never
  below Redis's clock in µs, which moves on across a restart (story-versions.test.ts).
]]
local ns, na, ni, nt, nd = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local nk = #KEYS
local lock, log = KEYS[nk - 3], KEYS[nk - 2]
if ARGV[13] == '1' then
  -- the lock, and the checks story-write-lock-read.lua makes, then whether the batch's decisions
  -- were taken over the whole log (nothing committed since) with none of its articles filed since
  if not redis.call('SET', lock, ARGV[6], 'NX', 'PX', ARGV[17]) then return {-2} end
  local proto = redis.call('GET', KEYS[nk])
  local last = redis.call('XREVRANGE', log, '+', '-', 'COUNT', 1)
  local basis
  if ARGV[15] == '' then basis = #last == 0 else basis = #redis.call('XRANGE', log, ARGV[15], ARGV[15]) == 1 end
  if (proto and proto ~= ARGV[16]) or redis.call('GET', KEYS[nk - 1]) ~= ARGV[14] or not basis then
    redis.call('DEL', lock)
    return {-3}
  end
  local of = {}
  local filed = false
  for i = 1, na, 4000 do
    local got = redis.call('MGET', unpack(KEYS, 2 * ns + i, 2 * ns + math.min(i + 3999, na)))
    for j = 1, #got do
      of[#of + 1] = got[j]
      if got[j] then filed = true end
    end
  end
  if filed or (ARGV[15] ~= '' and last[1][1] ~= ARGV[15]) then
    local t = redis.call('TIME')
    local from = '-'
    if ARGV[15] ~= '' then from = '(' .. ARGV[15] end
    local since = redis.call('XRANGE', log, from, '+')
    if ARGV[18] ~= '1' then
      redis.call('DEL', lock)
      return {-5, of, since}
    end
    return {-4, of, since, tonumber(t[1]) * 1000000 + tonumber(t[2])}
  end
elseif redis.call('GET', lock) ~= ARGV[6] then return {-1} end
local a = 19
local changed = {0}
-- the versions in one call per chunk, not a GET per story
local vs = {}
for i = 1, ns, 4000 do
  local got = redis.call('MGET', unpack(KEYS, ns + i, ns + math.min(i + 3999, ns)))
  for j = 1, #got do vs[i + j - 1] = got[j] end
end
for j = 1, ns do
  local mode = ARGV[a + 2 * (j - 1)]
  if mode ~= '-' then
    if mode == '' then
      if redis.call('EXISTS', KEYS[j]) == 1 then changed[#changed + 1] = j end
    else
      local v = vs[j]
      if v == false and redis.call('EXISTS', KEYS[j]) == 1 then v = '0' end
      if v ~= mode then changed[#changed + 1] = j end
    end
  end
end
if #changed > 1 then return changed end
local k = 2 * ns
local byTime, registry, df, seq = KEYS[k + 2 * na + ni + 1], KEYS[k + 2 * na + ni + 2], KEYS[k + 2 * na + ni + 3], KEYS[k + 2 * na + ni + 4]
local version = redis.call('INCR', seq)
local clock = redis.call('TIME')
clock = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
if version < clock then
  version = clock
  redis.call('SET', seq, string.format('%d', version))
end
-- as digits (a number argument's formatting is the server's: sixteen digits must stay exact)
version = string.format('%d', version)
for j = 1, ns do
  if ARGV[a] ~= '-' then
    redis.call('SET', KEYS[j], ARGV[a + 1], 'EX', ARGV[7])
    redis.call('SET', KEYS[ns + j], version, 'EX', ARGV[7])
  end
  a = a + 2
end
for i = 1, na do
  redis.call('SET', KEYS[k + i], ARGV[a], 'EX', ARGV[7])
  redis.call('SET', KEYS[k + na + i], ARGV[a + 1], 'EX', ARGV[8])
  a = a + 2
end
k = k + 2 * na
for i = 1, ni do
  local m = tonumber(ARGV[a])
  redis.call('ZADD', KEYS[k + i], 'GT', unpack(ARGV, a + 1, a + 2 * m))
  a = a + 1 + 2 * m
end
for i = k + 1, k + ni, 500 do redis.call('SADD', registry, unpack(KEYS, i, math.min(i + 499, k + ni))) end
if nt > 0 then redis.call('ZADD', byTime, 'GT', unpack(ARGV, a, a + 2 * nt - 1)) end
a = a + 2 * nt
-- the DF counts: one HMGET and one HSET per chunk rather than a HINCRBY each (a batch adds to
-- thousands of fields; the calls were most of this part's time). Same values: the script runs alone.
-- The fields and counts come as one JSON array, `dfa`: fields 1..nd, their counts after (cjson
-- decodes it in C: a string.find and two string.sub a field, Lua calls of ~1,000 instructions each,
-- were a third of the script's instructions; bench/README.md, sixth session, commit-lua).
local dfa
if nd < 0 then
  nd = -nd
  dfa = cjson.decode(ARGV[a])
  a = a + 1
else
  dfa = {}
  for i = 1, nd do
    dfa[i], dfa[nd + i] = ARGV[a], tonumber(ARGV[a + 1])
    a = a + 2
  end
end
if tonumber(ARGV[10]) > 0 then redis.call('HINCRBY', df, '#n', ARGV[10]) end
-- the counts a batch reads and writes repeat (small numbers): each converted once (strtod and
-- sprintf cost ~1,000 instructions a call, a table look-up tens)
local num, str = {}, {}
for i = 1, nd, 2000 do
  local j = math.min(i + 1999, nd)
  local cur = redis.call('HMGET', df, unpack(dfa, i, j))
  local kv, m = {}, 0
  for x = i, j do
    local c, v = cur[x - i + 1], dfa[nd + x]
    if c then
      local n = num[c]
      if not n then
        n = tonumber(c)
        num[c] = n
      end
      v = v + n
    end
    local o = str[v]
    if not o then
      o = string.format('%d', v)
      str[v] = o
    end
    kv[m + 1], kv[m + 2] = dfa[x], o
    m = m + 2
  end
  redis.call('HSET', df, unpack(kv, 1, m))
end
if tonumber(ARGV[10]) > 0 then redis.call('EXPIRE', df, ARGV[9]) end
-- (a batch of articles all filed before files nothing: no entry)
local id = false
if ARGV[11] ~= '' then id = redis.call('XADD', log, 'MINID', '~', ARGV[12], '*', 'b', ARGV[11]) end
redis.call('DEL', lock)
local t = redis.call('TIME')
return {1, version, id, tonumber(t[1]) * 1000000 + tonumber(t[2])}
