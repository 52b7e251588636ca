--[[
  Claims a feed item: if any of its keys is known, the item is a repeat of the article that key
  names; all keys are (re)written to that owner, so a new GUID or a new tracking parameter is
  learnt as an alias (seen-store.ts). A new item can be put in its scope's outbox in the same
  call (the payload of its analysis job, kept until the poll has queued it), so a crash between
  claim and queueing loses nothing.

  Input:
    KEYS     the item's seen keys, then (when ARGV[3] is given) the scope's outbox hash
    ARGV[1]  article id
    ARGV[2]  TTL, s
    ARGV[3]  optional: payload to keep in the outbox while not queued

  Output:
    {0, owner} for a repeat, {1, article id} for a new item
]]
local n = #KEYS
local outbox = false
if ARGV[3] then outbox = KEYS[n]; n = n - 1 end
local owner = false
for i = 1, n do
  local v = redis.call('GET', KEYS[i])
  if v then owner = v break end
end
local id = owner or ARGV[1]
for i = 1, n do redis.call('SET', KEYS[i], id, 'EX', tonumber(ARGV[2])) end
if owner then return {0, owner} end
if outbox then
  redis.call('HSET', outbox, id, ARGV[3])
  redis.call('EXPIRE', outbox, tonumber(ARGV[2]))
end
return {1, id}
