--[[
  Takes locks in the callers' one order, keeping those it has while it waits for the rest
  (story-lock.ts; story-merge.ts takes the story write lock with it). It read the candidate sets
  too while the assigner took a lock per matching key; the candidate index is in the assigners'
  mirrors now (story-mirror.ts), so it reads nothing.

  Every caller passes its locks sorted (one global order), takes them front to back and stops at
  the first one held by someone else: nobody waits for a lock while holding one later in the
  order, so there is no deadlock; and what a waiter holds only grows, so a batch needing many
  keys is not starved by smaller ones that keep taking some of them (all-or-nothing was: with
  `--workers 2`, analyse jobs failed on "story locks busy").

  Input:
    KEYS[1..n]      the n lock keys, in the global order (sorted)
    ARGV[1]         lock token
    ARGV[2]         lock TTL, ms
    ARGV[3]         from: the locks before it are held by this token already (taken by an earlier
                    call less than a third of the TTL ago); 1 checks and renews them all

  Output:
    {0, h} when lock h + 1 is held by someone else (locks 1..h are this token's now: call again
    with from = h + 1, or release them with story-unlock.lua), else {1}
]]
local n = #KEYS
local token, ttl, from = ARGV[1], ARGV[2], tonumber(ARGV[3])
-- SET NX first: a free lock (the common case) costs one call, not a GET and a SET
for i = from, n do
  if not redis.call('SET', KEYS[i], token, 'NX', 'PX', ttl) then
    if redis.call('GET', KEYS[i]) == token then
      redis.call('PEXPIRE', KEYS[i], ttl)
    else
      return {0, i - 1}
    end
  end
end
-- all held: a full TTL from now for those taken by earlier calls too
for i = 1, from - 1 do redis.call('PEXPIRE', KEYS[i], ttl) end
return {1}
