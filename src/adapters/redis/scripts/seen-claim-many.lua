--[[
  Claims a batch of feed items of one scope (an outlet), in order: an item is new when none of
  its keys is known; otherwise it is a repeat of the article its first known key names (an
  earlier item of the same batch included). Either way all its keys are (re)written to that
  owner with the TTL, so a new GUID or a new tracking parameter is learnt as an alias
  (seen-store.ts). A new item can be put in the scope's outbox in the same call (the id of the
  feed whose poll is to queue it, kept until that poll has queued it), so a crash between claim
  and queueing loses nothing. One call per scope and poll: the outbox is written with one HSET
  and one EXPIRE for the batch, not two commands per item.

  Input:
    KEYS[1]   the scope's outbox hash
    KEYS[2..] the items' seen keys, item after item (ARGV says how many each)
    ARGV[1]   TTL, s
    ARGV[3i-1 .. 3i+1], item i = 1 .. (#ARGV - 1) / 3:
              number of its keys, article id, outbox payload ('' = not to be kept)

  Output:
    flat, per item in order: 0, owner for a repeat; 1, article id for a new item
]]
local ttl = tonumber(ARGV[1])
local out = {}
local outbox = {}
local k = 2
for i = 1, (#ARGV - 1) / 3 do
  local a = 3 * i - 1
  local n, id, payload = tonumber(ARGV[a]), ARGV[a + 1], ARGV[a + 2]
  local owner = false
  -- One MGET for the item's keys; the first known one names the owner.
  local vals = redis.call('MGET', unpack(KEYS, k, k + n - 1))
  for j = 1, n do
    if vals[j] then owner = vals[j] break end
  end
  local who = owner or id
  for j = k, k + n - 1 do redis.call('SET', KEYS[j], who, 'EX', ttl) end
  k = k + n
  if owner then
    out[#out + 1] = 0
    out[#out + 1] = owner
  else
    out[#out + 1] = 1
    out[#out + 1] = id
    if payload ~= '' then
      outbox[#outbox + 1] = id
      outbox[#outbox + 1] = payload
    end
  end
end
if #outbox > 0 then
  redis.call('HSET', KEYS[1], unpack(outbox))
  redis.call('EXPIRE', KEYS[1], ttl)
end
return out
