-- Opens the crawl: the first frontier to open it makes it (fresh), every later one resumes it.
-- ARGV[3]: the deduplication (exact or none); ARGV[4]: the suffix of the frontier's item outbox
-- ('' for the crawl's stream, ':<worker>' for a worker's own); ARGV[5]: the number of partitions a
-- crawl made now gets (0 for 1). Called on partition 0 first, then on every other partition.
-- Returns {1 when made now, the crawl's order, its deduplication, the outbox's last batch's
-- sequence, the sequence acknowledged, the feed positions as a flat list of names and values, the
-- number of partitions, the time}.
local at = now()
local outbox = ARGV[4] or ''
local made = redis.call('HSETNX', META, 'created', fmt(at))
if made == 1 then
    redis.call('HSET', META, 'order', ORDER, 'dedup', ARGV[3], 'partitions',
        fmt(math.max(1, tonumber(ARGV[5] or '0'))))
end
local v = redis.call('HMGET', META, 'order', 'dedup', 'outbox_sequence' .. outbox,
    'acknowledged' .. outbox, 'partitions')
return {made, v[1] or '', v[2] or '', tonumber(v[3] or '0'), tonumber(v[4] or '0'),
    redis.call('HGETALL', FEEDS .. outbox), tonumber(v[5] or '1'), at}
