--[[
  Everything an assign writes, at once, and the locks released; nothing when the compare fails
  (story-store.ts, assign step 5).

  Input:
    KEYS[1]  story
    KEYS[2]  story-of
    KEYS[3]  vectors
    KEYS[4]  DF hash
    KEYS[5]  by-time index
    KEYS[6]  index-key registry
    KEYS[7..]  then nc candidate sets, ni index sets, nl locks
    ARGV[1]  '-' (leave the story as it is), '' (it must not exist) or the SHA-1 of the JSON read
    ARGV[2]  new JSON
    ARGV[3]  retention, s
    ARGV[4]  story id
    ARGV[5]  packed vectors
    ARGV[6]  2 x window, s
    ARGV[7]  publication, ms
    ARGV[8]  candidate trim bound ('(ms', or '' for none)
    ARGV[9]  lastSeen, ms
    ARGV[10] '1' to index by time
    ARGV[11] nc
    ARGV[12] ni
    ARGV[13] nl
    ARGV[14] lock token
    ARGV[15] DF TTL, s
    ARGV[16..] DF fields to count once each

  Output:
    1, or 0 when the story changed since it was read
]]
local nc, ni, nl = tonumber(ARGV[11]), tonumber(ARGV[12]), tonumber(ARGV[13])
if ARGV[1] ~= '-' then
  local cur = redis.call('GET', KEYS[1])
  if cur == false then
    if ARGV[1] ~= '' then return 0 end
  elseif ARGV[1] ~= redis.sha1hex(cur) then return 0 end
  redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
end
redis.call('SET', KEYS[2], ARGV[4], 'EX', ARGV[3])
redis.call('SET', KEYS[3], ARGV[5], 'EX', ARGV[6])
local b = 6
for i = b + 1, b + nc do
  redis.call('ZADD', KEYS[i], 'GT', ARGV[7], ARGV[4])
  if ARGV[8] ~= '' then redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', ARGV[8]) end
  redis.call('EXPIRE', KEYS[i], ARGV[6])
end
b = b + nc
if ARGV[10] == '1' then redis.call('ZADD', KEYS[5], 'GT', ARGV[9], ARGV[4]) end
for i = b + 1, b + ni do redis.call('ZADD', KEYS[i], 'GT', ARGV[9], ARGV[4]) end
for i = b + 1, b + ni, 500 do redis.call('SADD', KEYS[6], unpack(KEYS, i, math.min(i + 499, b + ni))) end
b = b + ni
for i = 16, #ARGV do redis.call('HINCRBY', KEYS[4], ARGV[i], 1) end
redis.call('HINCRBY', KEYS[4], '#n', 1)
redis.call('EXPIRE', KEYS[4], ARGV[15])
if nl > 0 then
  local held, mine = redis.call('MGET', unpack(KEYS, b + 1, b + nl)), {}
  for i = 1, nl do if held[i] == ARGV[14] then mine[#mine + 1] = KEYS[b + i] end end
  if #mine > 0 then redis.call('DEL', unpack(mine)) end
end
return 1
