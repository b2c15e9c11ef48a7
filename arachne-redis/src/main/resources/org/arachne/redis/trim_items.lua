-- Drops the item batches up to sequence ARGV[3] from this partition's stream of an outbox, once
-- ack_partitions.lua on partition 0 acknowledged them. ARGV[4]: the outbox's suffix ('' for the
-- crawl's streams, ':<worker>' for a worker's own). Returns {the last batch's sequence of the
-- stream}.
local outbox = ARGV[4]
redis.call('XTRIM', ITEMS .. outbox, 'MINID', fmt(tonumber(ARGV[3]) + 1) .. '-0')
return {counter('outbox_sequence' .. outbox)}
