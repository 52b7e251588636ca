--[[
  The poll's handoff: a batch of raw articles, each stored only when its key is free (SET NX), so
  an analysed copy is never replaced by the raw one. One call for the batch instead of one SET
  command per article (article-store.ts putNew: what it saves is the client's per-command work).

  Input:
    KEYS[i]    article i's record (keys.article), i = 1 .. #KEYS
    ARGV[1]    TTL, s
    ARGV[i+1]  article i's JSON

  Output:
    the positions (1-based) of the articles stored (the others were there already): the caller
    keeps those in memory for its analyse jobs (article-handoff.ts)
]]
local ttl = ARGV[1]
local stored = {}
for i = 1, #KEYS do
  if redis.call('SET', KEYS[i], ARGV[i + 1], 'EX', ttl, 'NX') then stored[#stored + 1] = i end
end
return stored
