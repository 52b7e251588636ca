--[[
  Plans articles, each for one destination and story, in order: the story's first article there
  is its `alert`, the first article of each further outlet a `followup`, any other article `skip`.
  Re-planning an article returns its first decision, so a retried analyse job is harmless
  (delivery-store.ts planMany()). A batch's plans are one call (an analyse job's, in its order),
  each hash's EXPIRE set once per call.

  Input:
    KEYS[i]        plan i's (destination, story) hash (the same key may come several times)
    ARGV[1]        TTL of the hashes, s
    ARGV[2i]       plan i's outlet id
    ARGV[2i + 1]   plan i's article id

  Output: per plan, in order: 'alert' | 'followup' | 'skip'
]]
local ttl = tonumber(ARGV[1])
local out = {}
local touched = {}
for i = 1, #KEYS do
  local k, outlet, article = KEYS[i], ARGV[2 * i], ARGV[2 * i + 1]
  local kind = redis.call('HGET', k, 'art:' .. article)
  if not kind then
    if redis.call('HSETNX', k, 'first', article) == 1 then
      redis.call('HSET', k, 'outlet:' .. outlet, article, 'art:' .. article, 'alert')
      kind = 'alert'
    elseif redis.call('HSETNX', k, 'outlet:' .. outlet, article) == 1 then
      kind = 'followup'
      redis.call('HSET', k, 'art:' .. article, kind)
    else
      kind = 'skip'
      redis.call('HSET', k, 'art:' .. article, kind)
    end
    if not touched[k] then
      touched[k] = true
      redis.call('EXPIRE', k, ttl)
    end
  end
  out[i] = kind
end
return out
