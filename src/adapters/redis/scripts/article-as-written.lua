--[[
  The analyse job's read of articles its own process handed over (article-handoff.ts): instead of
  the records (~4 KB each), whether each is still the one that process wrote. It is when no
  analysis part is beside it (none was stored), its length is the one written, and it does not
  end as a whole analysed record does (its last field, `cites`, an array: `]}`; a raw record ends
  with a string field). Anything else (gone, analysed, written again) is read in full.

  Input:
    KEYS[2i-1]   article i's record (keys.article), i = 1 .. #KEYS / 2
    KEYS[2i]     article i's analysis part (keys.articleAnalysis)
    ARGV[i]      the length in bytes of the record article i's process wrote

  Output:
    the positions (1-based) of the articles whose record is not that one
]]
local changed = {}
for i = 1, #KEYS / 2 do
  local record = KEYS[2 * i - 1]
  if redis.call('EXISTS', KEYS[2 * i]) == 1
    or redis.call('STRLEN', record) ~= tonumber(ARGV[i])
    or redis.call('GETRANGE', record, -2, -1) == ']}' then
    changed[#changed + 1] = i
  end
end
return changed
