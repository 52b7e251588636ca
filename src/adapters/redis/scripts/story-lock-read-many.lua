--[[
  Takes the locks of a batch's matching keys in the callers' one order, keeping those it has while
  it waits for the rest, and once it has them all reads the candidate sets the engine's lookups
  need (story-assign.ts, step 2; story-merge.ts takes its locks with it too, reading nothing).

  Every caller passes its locks sorted (one global order), takes them front to back and stops at
  the first one held by someone else: nobody waits for a lock while holding one later in the
  order, so there is no deadlock; and what a waiter holds only grows, so a batch needing many
  keys is not starved by smaller ones that keep taking some of them (all-or-nothing was: with
  `--workers 2`, analyse jobs failed on "story locks busy").

  Input:
    KEYS[1..n]      the n lock keys, in the global order (sorted)
    KEYS[n+1..2n]   the n candidate sets (same order)
    ARGV[1]         lock token
    ARGV[2]         lock TTL, ms
    ARGV[3]         from: the locks before it are held by this token already (taken by an earlier
                    call less than a third of the TTL ago); 1 checks and renews them all
    ARGV[4..]       set reads, five values each: set number (1..n), the highest max score, the
                    lowest min score and the lowest max score of the articles reading it, and
                    `limit` (each article reads the `limit` latest in its own [min, max])

  Output:
    {0, h} when lock h + 1 is held by someone else (locks 1..h are this token's now: call again
    with from = h + 1, or release them with story-unlock.lua), else {1, then per read one string:
    ZREVRANGEBYSCORE set highest-max lowest-min WITHSCORES LIMIT 0 (limit + c) joined with ','
    ('id,score,id,score...'; '' for none)}, where c counts the entries above the lowest max: an
    article's `limit` latest in its window are then among the first (limit + c) entries (those
    above its max number at most c), so the client cuts each article's read from this one.
    One read per set, not per article (a batch's articles share many sets), and one string rather
    than a nested array: turning each entry into a Lua value, a RESP element and a JavaScript
    string was most of this script's and the client's decoding time. Story ids hold no ','.
]]
local n = #KEYS / 2
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
local out = {1}
for r = 4, #ARGV, 5 do
  local set = KEYS[n + tonumber(ARGV[r])]
  -- none above when every article reading the set has the one max (a set read by one article:
  -- most of them), so no ZCOUNT then
  local above = 0
  if ARGV[r + 3] ~= ARGV[r + 1] then above = redis.call('ZCOUNT', set, '(' .. ARGV[r + 3], ARGV[r + 1]) end
  out[#out + 1] = table.concat(redis.call('ZREVRANGEBYSCORE', set, ARGV[r + 1], ARGV[r + 2], 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[r + 4]) + above), ',')
end
return out
