--[[
  Drops queued items from a scope's outbox (seen-store.ts release), only while the keys that
  witness their queueing exist (the analyse jobs' hashes). A host crash may lose the jobs with
  Redis's last second of writes while the worker goes on and releases after the restart: the
  items would then be claimed as seen, out of the outbox and in no job, lost for good. Kept in
  the outbox, the feed's next full fetch queues them again (jobs/poll.ts recoverPending).

  Input:
    KEYS[1]    the scope's outbox hash
    KEYS[2..]  keys that must all exist
    ARGV       the article ids to drop

  Output: the number of fields dropped, or -1 when a witness key is missing (nothing dropped)
]]
for i = 2, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 0 then return -1 end
end
return redis.call('HDEL', KEYS[1], unpack(ARGV))
