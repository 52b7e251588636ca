--[[
  The stories of a batch's articles, the document frequencies of their terms, and the change-log
  entries after the caller's mirror position (story-assign.ts, step 1: read without the write lock;
  the log is only appended to, and what is appended meanwhile comes with the lock).

  Input:
    KEYS[1]     the DF hash of this epoch
    KEYS[2]     the DF hash of the previous epoch
    KEYS[3]     the change log's generation (keys.storyLogGen)
    KEYS[4]     the change log (keys.storyLog)
    KEYS[5..]   the articles' story-of keys
    ARGV[1]     the generation the caller's mirror was built from ('' for none: no log then)
    ARGV[2]     the last log entry the mirror applied ('' for none)
    ARGV[3..]   the DF fields to read

  Output:
    {{story id or false per article}, {per field the sum of both epochs' counts}, log} where log
    is {4} when the mirror's basis is gone (as story-write-lock-read.lua says it; also a log
    started since a mirror built without one), else {1, {entries after ARGV[2], as XRANGE
    answers them}}
]]
local of = {}
-- one MGET per chunk, not a GET per article
for i = 5, #KEYS, 4000 do
  local got = redis.call('MGET', unpack(KEYS, i, math.min(i + 3999, #KEYS)))
  for j = 1, #got do of[#of + 1] = got[j] end
end
local counts = {}
if #ARGV > 2 then
  local a = redis.call('HMGET', KEYS[1], unpack(ARGV, 3))
  local b = redis.call('HMGET', KEYS[2], unpack(ARGV, 3))
  -- each distinct count converted once (the counts are small numbers that repeat: Lua 5.1's
  -- `tonumber` runs strtod, ~1,000 instructions, where a table look-up of the interned string is
  -- tens; as story-commit-many.lua does, bench/README.md sixth session, commit-lua). A missing
  -- field (false) counts 0: `tonumber(false) or 0`, kept under the key false.
  local num = {}
  for i = 1, #ARGV - 2 do
    local x, y = a[i], b[i]
    local n, m = num[x], num[y]
    if n == nil then
      n = tonumber(x) or 0
      num[x] = n
    end
    if m == nil then
      m = tonumber(y) or 0
      num[y] = m
    end
    counts[i] = n + m
  end
end
local log
local gen = redis.call('GET', KEYS[3])
if (gen or '') ~= ARGV[1] then
  log = {4}
elseif not gen then
  log = {1, {}}
elseif ARGV[2] == '' then
  if redis.call('XLEN', KEYS[4]) ~= 0 then log = {4} else log = {1, {}} end
elseif #redis.call('XRANGE', KEYS[4], ARGV[2], ARGV[2]) ~= 1 then
  log = {4}
else
  log = {1, redis.call('XRANGE', KEYS[4], '(' .. ARGV[2], '+')}
end
return {of, counts, log}
