--[[
  Takes the locks of an article's matching keys, all or nothing, and reads the candidate stories
  under them (story-store.ts, assign step 2).

  Input:
    KEYS[1..n]      the n lock keys
    KEYS[n+1..2n]   the n candidate sets (same order)
    KEYS[2n+1]      the story this article would start
    ARGV[1]         lock token
    ARGV[2]         lock TTL, ms
    ARGV[3]         max score
    ARGV[4]         min score
    ARGV[5]         entries read per set
    ARGV[6]         candidates wanted (m)
    ARGV[7..6+n]    the n sets' weights

  Output:
    0 when a lock is held by someone else (nothing taken), else
    {1, that story's JSON or false, then id, weight, id, weight...}: the stories found, each
    weighing the sum of the weights of the sets it is in (added in set order, as doubles, printed
    exactly), only those at least as heavy as the m-th heaviest (ties included: the caller ranks
    them).
]]
local n = (#KEYS - 1) / 2
if n > 0 then
  if redis.call('EXISTS', unpack(KEYS, 1, n)) > 0 then return 0 end
  for i = 1, n do redis.call('SET', KEYS[i], ARGV[1], 'PX', ARGV[2]) end
end
local out = {1, redis.call('GET', KEYS[#KEYS])}
local hits, order = {}, {}
for i = 1, n do
  local w = tonumber(ARGV[6 + i])
  for _, id in ipairs(redis.call('ZREVRANGEBYSCORE', KEYS[n + i], ARGV[3], ARGV[4], 'LIMIT', 0, ARGV[5])) do
    local h = hits[id]
    if h == nil then order[#order + 1] = id hits[id] = w else hits[id] = h + w end
  end
end
local m, floor = tonumber(ARGV[6]), nil
if #order > m then
  local ws = {}
  for i, id in ipairs(order) do ws[i] = hits[id] end
  table.sort(ws)
  floor = ws[#ws - m + 1]
end
for _, id in ipairs(order) do
  local h = hits[id]
  if floor == nil or h >= floor then out[#out + 1] = id out[#out + 1] = string.format('%.17g', h) end
end
return out
