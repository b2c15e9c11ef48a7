-- Every item batch of an outbox up to sequence ARGV[3] was written to every feed, whose files then
-- ended at the positions from ARGV[5] on (names and values): both kept in one step, and the
-- batches dropped from the stream. ARGV[4]: the outbox's suffix ('' for the crawl's stream,
-- ':<worker>' for a worker's own). Returns {the sequence acknowledged, the last batch's sequence}.
local outbox = ARGV[4]
local acknowledged = math.max(counter('acknowledged' .. outbox), tonumber(ARGV[3]))
redis.call('HSET', META, 'acknowledged' .. outbox, fmt(acknowledged))
redis.call('XTRIM', ITEMS .. outbox, 'MINID', fmt(acknowledged + 1) .. '-0')
redis.call('DEL', FEEDS .. outbox)
for i = 5, #ARGV, 2 do redis.call('HSET', FEEDS .. outbox, ARGV[i], ARGV[i + 1]) end
return {acknowledged, counter('outbox_sequence' .. outbox)}
