--[[
  Story `from` was merged into `into`: what one destination knows of `from` becomes `into`'s
  (delivery-store.ts mergeStory). Fields of the (destination, story) hash: `root` and `first` (the
  story's first message here and its article), `outlet:<id>`, `art:<id>`, `tag:<id>`. Those of
  `from` are added to `into` where `into` has none (HSETNX); `from`'s first message becomes
  `into`'s when `into` has not posted one here (its `first`, if only planned, goes with it, so a
  pending alert of `into` goes into that thread as a follow-up). `from` remembers the outcome, so
  asking again answers the same.

  Input:
    KEYS[1]  the (destination, from) hash
    KEYS[2]  the (destination, into) hash
    ARGV[1]  into's story id
    ARGV[2]  TTL of the hashes, s

  Output: 'notice' (both first messages were posted here) | 'moved' | 'none'
]]
local from, into = KEYS[1], KEYS[2]
local done = redis.call('HGET', from, 'merged-result')
if done then return done end
if redis.call('EXISTS', from) == 0 then return 'none' end
local fromRoot, intoRoot = redis.call('HGET', from, 'root'), redis.call('HGET', into, 'root')
local flat = redis.call('HGETALL', from)
for i = 1, #flat, 2 do
  local f = flat[i]
  if f ~= 'root' and f ~= 'first' and f ~= 'merged-into' then redis.call('HSETNX', into, f, flat[i + 1]) end
end
local first = redis.call('HGET', from, 'first')
if fromRoot and not intoRoot then
  redis.call('HSET', into, 'root', fromRoot)
  if first then redis.call('HSET', into, 'first', first) end
elseif first then
  redis.call('HSETNX', into, 'first', first)
end
local result = (fromRoot and intoRoot) and 'notice' or 'moved'
redis.call('HSET', from, 'merged-into', ARGV[1], 'merged-result', result)
redis.call('EXPIRE', from, tonumber(ARGV[2]))
redis.call('EXPIRE', into, tonumber(ARGV[2]))
return result
