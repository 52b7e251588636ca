--[[
  The analyse job's read of articles its own process handed over (article-handoff.ts): instead of
  the records (~4 KB each), whether each is still the one that process wrote. It is when no
  analysis part is beside it (none was stored), its length is the one written, and it does not
  end as a whole analysed record does (its last field, `cites`, an array: `]}`; a raw record ends
  with a string field). Anything else (gone, analysed, written again) is read in full. The
  analysis parts are looked up in one MGET (a call from Lua costs Redis about as much as a small
  command, bench/article-writes.ts).

  Input:
    KEYS[i]       article i's record (keys.article), i = 1 .. n = #KEYS / 2
    KEYS[n+i]     article i's analysis part (keys.articleAnalysis)
    ARGV[i]       the length in bytes of the record article i's process wrote

  Output:
    the positions (1-based) of the articles whose record is not that one
]]
local n = #KEYS / 2
local parts = redis.call('MGET', unpack(KEYS, n + 1, 2 * n))
local changed = {}
for i = 1, n do
  if parts[i]
    or redis.call('STRLEN', KEYS[i]) ~= tonumber(ARGV[i])
    or redis.call('GETRANGE', KEYS[i], -2, -1) == ']}' then
    changed[#changed + 1] = i
  end
end
return changed
