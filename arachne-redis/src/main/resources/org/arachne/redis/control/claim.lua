-- A claim: a key one process holds while it renews it, so that a stream has one reader and a
-- worker's name one process (docs/redis.md, "Workers"). KEYS[1]: the crawl's meta hash (the other
-- keys are named from its prefix); ARGV[1]: the claim's name under the prefix; ARGV[2]: the
-- holder (its host, process and a random part); ARGV[3]: how long the claim lasts unrenewed (ms);
-- ARGV[4]: 'hold' (take it or keep it: free or already this holder's) or 'release' (give it up if
-- it is this holder's). With ARGV[5] (a worker's name) and ARGV[6] (its figures as JSON), the
-- worker's entry in the crawl's 'workers' hash is written too, with the server's time in
-- 'heartbeats'. Returns {1} when the holder has the claim (or gave it up), else {0, the holder,
-- the milliseconds it still lasts}.
local P = string.sub(KEYS[1], 1, -5)
local key = P .. ARGV[1]
local holder = redis.call('GET', key)
local held = true
if ARGV[4] == 'release' then
    if holder == ARGV[2] then redis.call('DEL', key) end
elseif not holder or holder == ARGV[2] then
    redis.call('SET', key, ARGV[2], 'PX', ARGV[3])
else
    held = false
end
if held and ARGV[5] then
    local t = redis.call('TIME')
    redis.call('HSET', P .. 'workers', ARGV[5], ARGV[6])
    redis.call('HSET', P .. 'heartbeats', ARGV[5],
        string.format('%.0f', tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)))
end
if held then return {1} end
return {0, holder, redis.call('PTTL', key)}
