-- The crawl as `arachne status` shows it, read in one step per partition and changed in nothing.
-- KEYS[1]: the partition's meta hash (partition 0's holds the crawl's settings, its workers and
-- their heartbeats). The slots listed are those with work: ready, waiting for their next start,
-- or with a lease out (a slot whose every permit is out is in neither index); so the step costs
-- in proportion to them. ARGV[1]: 'partition' for a partition k >= 1 (read whether or not its
-- meta was made). Returns {0, the time} when there is no such crawl, else
-- {1, the server's time (µs), meta as a flat list of fields and values, leases out, leases past
-- their deadline, retries waiting, fingerprints seen, batches in the crawl's stream, the slots
-- (flat: name, queued, in flight, concurrency, next start µs, paused until µs, error streak,
-- delay ns, done, failed), the leases out by worker (flat: worker, count), the workers' entries
-- (flat: name, JSON), their heartbeats (flat: name, ms)}.
local META = KEYS[1]
local P = string.sub(META, 1, -5)
local t = redis.call('TIME')
local at = tonumber(t[1]) * 1000000 + tonumber(t[2])
if ARGV[1] ~= 'partition' and redis.call('EXISTS', META) == 0 then return {0, at} end
-- a Bloom filter counts what it added (lib.lua's seenCount)
local seenCount = redis.call('SCARD', P .. 'seen')
if redis.call('HGET', META, 'dedup') == 'bloom' then
    seenCount = tonumber(redis.call('HGET', META, 'bloom_added') or '0')
end
-- a member of 'ready' is the 21 characters of its best request's rank, then the slot's name
local RANK_LENGTH = 21
local seen, names = {}, {}
local function note(name)
    if not seen[name] then
        seen[name] = true
        names[#names + 1] = name
    end
end
for _, m in ipairs(redis.call('ZRANGE', P .. 'ready', 0, -1)) do
    note(string.sub(m, RANK_LENGTH + 1))
end
for _, m in ipairs(redis.call('ZRANGE', P .. 'waiting', 0, -1)) do note(m) end
local leases, workers = {}, {}
for _, token in ipairs(redis.call('ZRANGE', P .. 'deadlines', 0, -1)) do
    local v = redis.call('HMGET', P .. 'lease:' .. token, 'slot', 'worker')
    if v[1] then
        note(v[1])
        local w = v[2] or ''
        if not leases[w] then
            leases[w] = 0
            workers[#workers + 1] = w
        end
        leases[w] = leases[w] + 1
    end
end
local slots = {}
for _, name in ipairs(names) do
    local v = redis.call('HMGET', P .. 'slot:' .. name, 'in_flight', 'concurrency', 'next_start',
        'paused_until', 'error_streak', 'delay')
    slots[#slots + 1] = name
    slots[#slots + 1] = redis.call('ZCARD', P .. 'q:' .. name)
    for i = 1, 6 do slots[#slots + 1] = v[i] or '0' end
    slots[#slots + 1] = redis.call('HGET', P .. 'slot_done', name) or '0'
    slots[#slots + 1] = redis.call('HGET', P .. 'slot_failed', name) or '0'
end
local byWorker = {}
for _, w in ipairs(workers) do
    byWorker[#byWorker + 1] = w
    byWorker[#byWorker + 1] = leases[w]
end
return {1, at, redis.call('HGETALL', META), redis.call('ZCARD', P .. 'deadlines'),
    redis.call('ZCOUNT', P .. 'deadlines', '-inf', string.format('%.0f', at)),
    redis.call('ZCARD', P .. 'deferred'), seenCount,
    redis.call('XLEN', P .. 'items'), slots, byWorker, redis.call('HGETALL', P .. 'workers'),
    redis.call('HGETALL', P .. 'heartbeats')}
