-- Stops a crawl or lets it go on (arachne stop, arachne worker --resume). KEYS[1]: the crawl's
-- meta hash; ARGV[1]: 'stop' or 'resume'. Stopping records the server's time in meta's 'stopped'
-- (kept when it was stopped already) and publishes 'stop' on the crawl's 'control' channel, which
-- every worker listens to; resuming removes 'stopped'. Returns {0} when there is no such crawl,
-- else {1, when it was stopped (µs; 0 when resumed), leases out (of partition 0), the crawl's
-- partitions (1 when not recorded)}.
local META = KEYS[1]
local P = string.sub(META, 1, -5)
if redis.call('EXISTS', META) == 0 then return {0} end
local stopped = 0
if ARGV[1] == 'stop' then
    local t = redis.call('TIME')
    redis.call('HSETNX', META, 'stopped',
        string.format('%.0f', tonumber(t[1]) * 1000000 + tonumber(t[2])))
    stopped = tonumber(redis.call('HGET', META, 'stopped'))
    redis.call('PUBLISH', P .. 'control', 'stop')
else
    redis.call('HDEL', META, 'stopped')
end
return {1, stopped, redis.call('ZCARD', P .. 'deadlines'),
    tonumber(redis.call('HGET', META, 'partitions') or '1')}
