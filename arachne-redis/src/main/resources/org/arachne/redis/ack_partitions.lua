-- The acknowledgement of an outbox over the streams of a crawl's N partitions (N > 1), on
-- partition 0: every item batch of partition k's stream up to sequence ARGV[5 + k] (k = 0 to
-- N - 1; ARGV[4] = N) was written to every feed, whose files then ended at the positions that
-- follow (names and values). The sequences (partition 0's in 'acknowledged<suffix>', partition
-- k's in 'acknowledged<suffix>/<k>'; never moved back) and the positions are kept in one step, so
-- a consumer killed at any moment resumes exactly after them; partition 0's stream is trimmed
-- here, the others' by trim_items.lua on each partition afterwards (they may lag: the next
-- acknowledgement trims them again). ARGV[3]: the outbox's suffix ('' for the crawl's streams,
-- ':<worker>' for a worker's own). Returns {the sequences acknowledged, by partition, the last
-- batch's sequence of partition 0's stream}.
local outbox = ARGV[3]
local partitions = tonumber(ARGV[4])
local acknowledged = {}
for k = 0, partitions - 1 do
    local field = 'acknowledged' .. outbox
    if k > 0 then field = field .. '/' .. k end
    local a = math.max(counter(field), tonumber(ARGV[5 + k]))
    redis.call('HSET', META, field, fmt(a))
    acknowledged[k + 1] = a
end
redis.call('XTRIM', ITEMS .. outbox, 'MINID', fmt(acknowledged[1] + 1) .. '-0')
redis.call('DEL', FEEDS .. outbox)
for i = 5 + partitions, #ARGV, 2 do
    redis.call('HSET', FEEDS .. outbox, ARGV[i], ARGV[i + 1])
end
return {acknowledged, counter('outbox_sequence' .. outbox)}
