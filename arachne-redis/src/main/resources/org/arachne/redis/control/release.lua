-- The leases still recorded under a worker's name once no process of that name holds any: one it
-- took as it stopped and never sent (its take's reply was abandoned), or those of a process of the
-- same name that was killed, in one partition (called on each). KEYS[1]: the partition's meta
-- hash; ARGV[1]: the worker. Their deadline is set to 0, so the next take (or status) of the
-- frontier expires them as it expires any lease past its deadline: their requests are queued
-- again and their permits freed. Returns {how many, the crawl's partitions as this partition's
-- meta records them (1 when not: always on partitions k >= 1), its order, its deduplication}.
local P = string.sub(KEYS[1], 1, -5)
local released = 0
for _, token in ipairs(redis.call('ZRANGE', P .. 'deadlines', 0, -1)) do
    if redis.call('HGET', P .. 'lease:' .. token, 'worker') == ARGV[1] then
        redis.call('HSET', P .. 'lease:' .. token, 'deadline', '0')
        redis.call('ZADD', P .. 'deadlines', 0, token)
        released = released + 1
    end
end
local v = redis.call('HMGET', KEYS[1], 'partitions', 'order', 'dedup')
return {released, tonumber(v[1] or '1'), v[2] or 'bfs', v[3] or 'exact'}
