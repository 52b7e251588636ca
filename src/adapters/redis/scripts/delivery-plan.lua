--[[
  Plans an article for one destination and story: the story's first article there is its
  `alert`, the first article of each further outlet a `followup`, any other article `skip`.
  Re-planning an article returns its first decision, so a retried analyse job is harmless
  (delivery-store.ts plan()).

  Input:
    KEYS[1]  the (destination, story) hash
    ARGV[1]  outlet id
    ARGV[2]  article id
    ARGV[3]  TTL of the hash, s

  Output: 'alert' | 'followup' | 'skip'
]]
local k = KEYS[1]
local prior = redis.call('HGET', k, 'art:' .. ARGV[2])
if prior then return prior end
local kind
if redis.call('HSETNX', k, 'first', ARGV[2]) == 1 then
  redis.call('HSET', k, 'outlet:' .. ARGV[1], ARGV[2])
  kind = 'alert'
elseif redis.call('HSETNX', k, 'outlet:' .. ARGV[1], ARGV[2]) == 1 then
  kind = 'followup'
else
  kind = 'skip'
end
redis.call('HSET', k, 'art:' .. ARGV[2], kind)
redis.call('EXPIRE', k, tonumber(ARGV[3]))
return kind
