--[[
  Reads the candidate sets a batch's lookups need, and each set's version, without taking locks
  (story-assign.ts, step 2): the commit (story-commit-many.lua) checks the versions again and
  fails when a set was written meanwhile, and only then does the assigner take the locks
  (story-lock-read-many.lua, which reads the same way).

  A set's version is the score of its member '~' (written by every commit and merge that writes
  the set: story-commit-many.lua, story-merge.lua), far below any time a lookup reads
  (-(1e14 + v)), so no read sees it. '' when the set has none (not written since versions
  existed, or gone).

  Input:
    KEYS[1..n]   the candidate sets
    ARGV         set reads, five values each, as story-lock-read-many.lua's ARGV[4..]

  Output:
    {{version per set}, {per read one 'id,score,…' string, as story-lock-read-many.lua}}
]]
local vers = {}
for i = 1, #KEYS do vers[i] = redis.call('ZSCORE', KEYS[i], '~') or '' end
local out = {}
for r = 1, #ARGV, 5 do
  local set = KEYS[tonumber(ARGV[r])]
  local above = redis.call('ZCOUNT', set, '(' .. ARGV[r + 3], ARGV[r + 1])
  out[#out + 1] = table.concat(redis.call('ZREVRANGEBYSCORE', set, ARGV[r + 1], ARGV[r + 2], 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[r + 4]) + above), ',')
end
return {vers, out}
