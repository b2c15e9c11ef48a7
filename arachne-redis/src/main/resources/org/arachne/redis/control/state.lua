-- What decides whether a crawl has ended, read in one step of one partition. KEYS[1]: the
-- partition's meta hash; ARGV[1]: the suffix of an item stream ('' for the crawl's, ':<worker>'
-- for a worker's own). Returns {1 when the crawl exists (partition 0's meta was made), requests
-- queued, leases out, when it was stopped (µs, 0 when not), the stream's last batch's sequence,
-- requests ever queued (the request sequence: 0 for a crawl opened and not seeded yet), leases
-- out past their deadline (their worker is gone: the next take of any worker queues their
-- requests again), the crawl's partitions (1 when not recorded), requests waiting to be forwarded
-- to other partitions, the partition's change counter}. On partition k >= 1 the first, the fourth
-- and the eighth are not the crawl's (they are partition 0's).
local META = KEYS[1]
local P = string.sub(META, 1, -5)
local t = redis.call('TIME')
local at = tonumber(t[1]) * 1000000 + tonumber(t[2])
local v = redis.call('HMGET', META, 'created', 'queued', 'stopped', 'outbox_sequence' .. ARGV[1],
    'sequence', 'partitions', 'outgoing', 'changes')
return {v[1] and 1 or 0, tonumber(v[2] or '0'), redis.call('ZCARD', P .. 'deadlines'),
    tonumber(v[3] or '0'), tonumber(v[4] or '0'), tonumber(v[5] or '0'),
    redis.call('ZCOUNT', P .. 'deadlines', '-inf', string.format('%.0f', at)),
    tonumber(v[6] or '1'), tonumber(v[7] or '0'), tonumber(v[8] or '0')}
