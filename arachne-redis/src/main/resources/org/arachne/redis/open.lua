-- Opens the crawl: the first frontier to open it makes it (fresh), every later one resumes it.
-- ARGV[3]: the deduplication (exact, bloom or none); ARGV[4]: the suffix of the frontier's item outbox
-- ('' for the crawl's stream, ':<worker>' for a worker's own); ARGV[5]: the number of partitions a
-- crawl made now gets (0 for 1); ARGV[6], ARGV[7], ARGV[8]: for bloom, the requests each
-- partition's filter holds at its rate, its bits and its probes. Called on partition 0 first, then on every other partition with what partition
-- 0 answered.
-- Returns {1 when made now, the crawl's order, its deduplication, the outbox's last batch's
-- sequence, the sequence acknowledged, the feed positions as a flat list of names and values, the
-- number of partitions, the Bloom filter's capacity, bits and probes (0 for none), the time}.
local at = now()
local outbox = ARGV[4] or ''
local made = redis.call('HSETNX', META, 'created', fmt(at))
if made == 1 then
    redis.call('HSET', META, 'order', ORDER, 'dedup', ARGV[3], 'partitions',
        fmt(math.max(1, tonumber(ARGV[5] or '0'))))
    if ARGV[3] == 'bloom' then
        redis.call('HSET', META, 'bloom_capacity', ARGV[6], 'bloom_bits', ARGV[7],
            'bloom_hashes', ARGV[8])
    end
end
local v = redis.call('HMGET', META, 'order', 'dedup', 'outbox_sequence' .. outbox,
    'acknowledged' .. outbox, 'partitions', 'bloom_capacity', 'bloom_bits', 'bloom_hashes')
return {made, v[1] or '', v[2] or '', tonumber(v[3] or '0'), tonumber(v[4] or '0'),
    redis.call('HGETALL', FEEDS .. outbox), tonumber(v[5] or '1'), tonumber(v[6] or '0'),
    tonumber(v[7] or '0'), tonumber(v[8] or '0'), at}
