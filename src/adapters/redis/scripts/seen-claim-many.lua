--[[
  Claims a batch of feed items of one scope (an outlet), in order: an item is new when none of
  its keys is known; otherwise it is a repeat of the article its first known key names (an
  earlier item of the same batch included). Either way all its keys are (re)written to that
  owner with the TTL, so a new GUID or a new tracking parameter is learnt as an alias
  (seen-store.ts). A new item can be put in the scope's outbox in the same call (the id of the
  feed whose poll is to queue it, kept until that poll has queued it), so a crash between claim
  and queueing loses nothing. One call per scope and poll: the outbox is written with one HSET
  and one EXPIRE for the batch, not two commands per item.

  The batch's keys are read with one MGET (in chunks), not one an item: a key an earlier item of
  the batch wrote is looked up in `written` instead, which holds what that MGET would have read
  after the write. Same decisions, keys and values as one MGET an item; ~19 fewer calls in a
  poll of 20 new items (the cold cycle's seen claims were ~15% of Redis's time, issue 16).

  Input:
    KEYS[1]   the scope's outbox hash
    KEYS[2..] the items' seen keys, item after item (ARGV says how many each)
    ARGV[1]   TTL, s
    ARGV[3i-1 .. 3i+1], item i = 1 .. (#ARGV - 1) / 3:
              number of its keys, article id, outbox payload ('' = not to be kept)

  Output:
    flat, per item in order: 0, owner for a repeat; 1, article id for a new item
]]
local ttl = ARGV[1]
local out = {}
local outbox = {}
-- vals[k] is KEYS[k]'s value before this call (false when absent). unpack() in chunks: its
-- arguments go on Lua's C stack (~8,000 slots), and a poll may claim 1,000 items of 3 keys.
local vals = {}
for from = 2, #KEYS, 1000 do
  local to = math.min(from + 999, #KEYS)
  local got = redis.call('MGET', unpack(KEYS, from, to))
  for j = 1, to - from + 1 do vals[from + j - 1] = got[j] end
end
local written = {}
local k = 2
for i = 1, (#ARGV - 1) / 3 do
  local a = 3 * i - 1
  local n, id, payload = tonumber(ARGV[a]), ARGV[a + 1], ARGV[a + 2]
  -- The first known key names the owner.
  local owner = false
  for j = k, k + n - 1 do
    local v = written[KEYS[j]] or vals[j]
    if v then owner = v break end
  end
  local who = owner or id
  for j = k, k + n - 1 do
    redis.call('SET', KEYS[j], who, 'EX', ttl)
    written[KEYS[j]] = who
  end
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
