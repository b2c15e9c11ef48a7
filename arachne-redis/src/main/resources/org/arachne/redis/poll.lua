-- Reads committed item batches of an outbox from sequence ARGV[3] on, at most ARGV[4] of them
-- (none for 0). ARGV[5]: the outbox's suffix ('' for the crawl's stream, ':<worker>' for a
-- worker's own). Returns {the last batch's sequence, the sequence acknowledged, the entries as
-- XRANGE gives them, the feed positions of the last acknowledgement as a flat list of names and
-- values, the crawl's partitions N (meta's 'partitions', 1 when absent), the sequences
-- acknowledged of the streams of partitions 1 to N - 1}. Called on partition 0, the last two and
-- the acknowledgement are the crawl's (kept there for every partition: 'acknowledged<suffix>' for
-- its own stream, 'acknowledged<suffix>/<k>' for partition k's); on partition k >= 1 only the
-- last batch's sequence and the entries are its own.
local outbox = ARGV[5] or ''
local v = redis.call('HMGET', META, 'outbox_sequence' .. outbox, 'acknowledged' .. outbox,
    'partitions')
local entries = {}
if tonumber(ARGV[4]) > 0 then
    entries = redis.call('XRANGE', ITEMS .. outbox, ARGV[3] .. '-0', '+', 'COUNT', ARGV[4])
end
local partitions = tonumber(v[3] or '1')
local acknowledged = {}
for k = 1, partitions - 1 do
    acknowledged[k] = tonumber(redis.call('HGET', META, 'acknowledged' .. outbox .. '/' .. k)
        or '0')
end
return {tonumber(v[1] or '0'), tonumber(v[2] or '0'), entries,
    redis.call('HGETALL', FEEDS .. outbox), partitions, acknowledged}
