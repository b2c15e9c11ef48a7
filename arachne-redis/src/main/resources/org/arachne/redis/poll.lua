-- Reads committed item batches of an outbox from sequence ARGV[3] on, at most ARGV[4] of them
-- (none for 0). ARGV[5]: the outbox's suffix ('' for the crawl's stream, ':<worker>' for a
-- worker's own). Returns {the last batch's sequence, the sequence acknowledged, the entries as
-- XRANGE gives them, the feed positions of the last acknowledgement as a flat list of names and
-- values}.
local outbox = ARGV[5] or ''
local v = redis.call('HMGET', META, 'outbox_sequence' .. outbox, 'acknowledged' .. outbox)
local entries = {}
if tonumber(ARGV[4]) > 0 then
    entries = redis.call('XRANGE', ITEMS .. outbox, ARGV[3] .. '-0', '+', 'COUNT', ARGV[4])
end
return {tonumber(v[1] or '0'), tonumber(v[2] or '0'), entries,
    redis.call('HGETALL', FEEDS .. outbox)}
