--[[
  A delivery's writes in one call (delivery-store.ts): the intent recorded before a post, or the
  post itself with its story's first message and the tags it showed. One EVALSHA where a MULTI
  of HSETs and EXPIREs (and one HSETNX per tag) was 4 to 10 commands from the client.

  Input:
    KEYS[1]    the (destination, post key) hash
    KEYS[2]    the (destination, story) hash (mode 'post'); mode 'intent' with ARGV[4]: the
               (destination, post key) hash of the job that puts this post first (a swap)
    ARGV[1]    TTL of the hashes, s
    ARGV[2]    'intent' | 'post'
    ARGV[3]    ISO time now
    mode 'intent':
    ARGV[4]    optional: the post key this one is posted for (recorded as `swap` in KEYS[2])
    mode 'post':
    ARGV[4]    the post's MessageRef, JSON
    ARGV[5]    story id
    ARGV[6]    kind: 'alert' | 'followup' | 'merge'
    ARGV[7]    article id of the post (the story's first message when kind is 'alert')
    ARGV[8..]  tags shown by the post (recorded as shown for the story, `tag:<id>` fields)

  Output: 1
]]
local ttl = tonumber(ARGV[1])
local ak = KEYS[1]
if ARGV[2] == 'intent' then
  redis.call('HSET', ak, 'intent', ARGV[3])
  redis.call('EXPIRE', ak, ttl)
  if ARGV[4] then
    redis.call('HSET', KEYS[2], 'swap', ARGV[4])
    redis.call('EXPIRE', KEYS[2], ttl)
  end
  return 1
end
redis.call('HSET', ak, 'ref', ARGV[4], 'storyId', ARGV[5], 'kind', ARGV[6], 'at', ARGV[3])
redis.call('EXPIRE', ak, ttl)
local sk = KEYS[2]
local fields = {}
if ARGV[6] == 'alert' then
  -- The root's article is the one posted, which may not be the one planned first (the deliver
  -- job posts a story's earlier-published article first when it can).
  fields[#fields + 1] = 'root'
  fields[#fields + 1] = ARGV[4]
  fields[#fields + 1] = 'first'
  fields[#fields + 1] = ARGV[7]
end
for i = 8, #ARGV do
  fields[#fields + 1] = 'tag:' .. ARGV[i]
  fields[#fields + 1] = '1'
end
if #fields > 0 then
  redis.call('HSET', sk, unpack(fields))
  redis.call('EXPIRE', sk, ttl)
end
return 1
