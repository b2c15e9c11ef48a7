-- What decides whether a crawl has ended, read in one step. KEYS[1]: the crawl's meta hash;
-- ARGV[1]: the suffix of an item stream ('' for the crawl's, ':<worker>' for a worker's own).
-- Returns {1 when the crawl exists, requests queued, leases out, when it was stopped (µs, 0 when
-- not), the stream's last batch's sequence}.
local META = KEYS[1]
local P = string.sub(META, 1, -5)
local v = redis.call('HMGET', META, 'created', 'queued', 'stopped', 'outbox_sequence' .. ARGV[1])
return {v[1] and 1 or 0, tonumber(v[2] or '0'), redis.call('ZCARD', P .. 'deadlines'),
    tonumber(v[3] or '0'), tonumber(v[4] or '0')}
