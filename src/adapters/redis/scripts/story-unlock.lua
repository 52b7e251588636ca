--[[
  Releases locks: deletes those still holding the token (not ones that expired and were taken by
  someone else).

  Input:
    KEYS     the locks
    ARGV[1]  lock token

  Output:
    1
]]
local held, mine = redis.call('MGET', unpack(KEYS)), {}
for i = 1, #KEYS do if held[i] == ARGV[1] then mine[#mine + 1] = KEYS[i] end end
if #mine > 0 then redis.call('DEL', unpack(mine)) end
return 1
