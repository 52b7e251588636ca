--[[
  The poll's handoff: a batch of raw articles, each stored only when its key is free (SET NX), so
  an analysed copy is never replaced by the raw one. One call for the batch instead of one SET
  command per article (article-store.ts putNew: what it saves is the client's per-command work).

  Input:
    KEYS[i]    article i's record (keys.article), i = 1 .. #KEYS
    ARGV[1]    TTL, s
    ARGV[i+1]  article i's JSON

  Output:
    how many were stored (the others were there already)
]]
local ttl = ARGV[1]
local n = 0
for i = 1, #KEYS do
  if redis.call('SET', KEYS[i], ARGV[i + 1], 'EX', ttl, 'NX') then n = n + 1 end
end
return n
