--[[
  The analyse job's write: what analysis added to each article of a batch, beside its raw record,
  and the export's time index of those with a story. An article whose raw record is gone (a host
  crash lost Redis's last second of writes after the job read it) gets nothing written: it is
  returned, and the caller writes it whole (article-store.ts putAnalysis). One call for the batch
  instead of SET + EXISTS per article and a ZADD.

  Input:
    KEYS[1]        the time index (keys.articlesByTime)
    KEYS[2i]       article i's analysis part (keys.articleAnalysis), i = 1 .. (#KEYS - 1) / 2
    KEYS[2i+1]     article i's record (keys.article)
    ARGV[1]        TTL, s
    ARGV[3i-1]     article i's analysis part (JSON)
    ARGV[3i]       article i's publication ms in the time index, '' = not indexed (no story)
    ARGV[3i+1]     article i's id (the time index's member)

  Output:
    the positions (1-based) of the articles whose record is gone
]]
local ttl = ARGV[1]
local lost = {}
local indexed = {}
for i = 1, (#KEYS - 1) / 2 do
  if redis.call('EXISTS', KEYS[2 * i + 1]) == 1 then
    redis.call('SET', KEYS[2 * i], ARGV[3 * i - 1], 'EX', ttl)
    if ARGV[3 * i] ~= '' then
      indexed[#indexed + 1] = ARGV[3 * i]
      indexed[#indexed + 1] = ARGV[3 * i + 1]
    end
  else
    lost[#lost + 1] = i
  end
end
if #indexed > 0 then redis.call('ZADD', KEYS[1], unpack(indexed)) end
return lost
