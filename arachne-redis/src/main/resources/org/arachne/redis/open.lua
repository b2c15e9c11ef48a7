-- Opens the crawl: the first frontier to open it makes it (fresh), every later one resumes it.
-- ARGV[3]: the deduplication (exact or none). Returns {1 when made now, the crawl's order, its
-- deduplication, the last item batch's sequence, the sequence acknowledged, the feed positions
-- as a flat list of names and values, the time}.
local at = now()
local made = redis.call('HSETNX', META, 'created', fmt(at))
if made == 1 then
    redis.call('HSET', META, 'order', ORDER, 'dedup', ARGV[3])
end
local v = redis.call('HMGET', META, 'order', 'dedup', 'outbox_sequence', 'acknowledged')
return {made, v[1] or '', v[2] or '', tonumber(v[3] or '0'), tonumber(v[4] or '0'),
    redis.call('HGETALL', FEEDS), at}
