-- Reads committed item batches from sequence ARGV[3] on, at most ARGV[4] of them. Returns {the
-- last batch's sequence, the sequence acknowledged, the entries as XRANGE gives them}.
local v = redis.call('HMGET', META, 'outbox_sequence', 'acknowledged')
return {tonumber(v[1] or '0'), tonumber(v[2] or '0'),
    redis.call('XRANGE', ITEMS, ARGV[3] .. '-0', '+', 'COUNT', ARGV[4])}
