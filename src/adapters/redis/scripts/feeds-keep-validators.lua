--[[
  The validators (ETag, Last-Modified) of feeds whose poll queued new items, kept only where that
  poll's work survived (feed-store.ts saveManyAfterPoll with a guard). The save before this call
  wrote each such feed's runtime without validators; this call writes it again with them when
  every claim key of the poll still exists and none of its queued items is left in its scope's
  outbox (released: its analyse job is there). Redis may lose its last second of writes (a host
  crash under appendfsync everysec) while the worker goes on: validators kept over a lost claim
  or a lost job would answer 304 to items nobody queued (chaos seed 1587748853: an alert lost on
  both platforms). Without them the next poll fetches the feed whole, the seen store drops what
  was kept and the outbox's items are queued again.

  Input:
    KEYS[1]    the feeds' state hash
    KEYS[2..]  per feed in ARGV's order: its claim keys, then one outbox hash per queued item
    ARGV, per feed: runtime field, runtime JSON with validators, number of claim keys (c),
               number of queued items (q), then the q article ids (each looked up in its outbox)

  Output: the fields written (the feeds whose validators were kept)
]]
local k = 2
local a = 1
local kept = {}
while a <= #ARGV do
  local field, json, nc, nq = ARGV[a], ARGV[a + 1], tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3])
  a = a + 4
  local ok = true
  for j = 0, nc - 1 do
    if ok and redis.call('EXISTS', KEYS[k + j]) == 0 then ok = false end
  end
  k = k + nc
  for j = 0, nq - 1 do
    if ok and redis.call('HEXISTS', KEYS[k + j], ARGV[a + j]) == 1 then ok = false end
  end
  k = k + nq
  a = a + nq
  if ok then
    redis.call('HSET', KEYS[1], field, json)
    kept[#kept + 1] = field
  end
end
return kept
