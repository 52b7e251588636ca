--[[
  Claims a feed item: if any of its keys is known, the item is a repeat of the article that key
  names; all keys are (re)written to that owner, so a new GUID or a new tracking parameter is
  learnt as an alias (seen-store.ts).

  Input:
    KEYS     the item's seen keys
    ARGV[1]  article id
    ARGV[2]  TTL, s

  Output:
    {0, owner} for a repeat, {1, article id} for a new item
]]
local owner = false
for i, k in ipairs(KEYS) do
  local v = redis.call('GET', k)
  if v then owner = v break end
end
local id = owner or ARGV[1]
for i, k in ipairs(KEYS) do redis.call('SET', k, id, 'EX', tonumber(ARGV[2])) end
if owner then return {0, owner} end
return {1, id}
