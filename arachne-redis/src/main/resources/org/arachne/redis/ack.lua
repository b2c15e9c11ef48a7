-- Every item batch up to sequence ARGV[3] was written to every feed, whose files then ended at
-- the positions from ARGV[4] on (names and values): both kept in one step, and the batches
-- dropped from the stream. Returns {the sequence acknowledged, the last batch's sequence}.
local acknowledged = math.max(counter('acknowledged'), tonumber(ARGV[3]))
redis.call('HSET', META, 'acknowledged', fmt(acknowledged))
redis.call('XTRIM', ITEMS, 'MINID', fmt(acknowledged + 1) .. '-0')
redis.call('DEL', FEEDS)
for i = 4, #ARGV, 2 do redis.call('HSET', FEEDS, ARGV[i], ARGV[i + 1]) end
return {acknowledged, counter('outbox_sequence')}
