-- The Redis frontier's shared functions, put before every script of docs/redis.md by Scripts.java.
-- KEYS[1] is a partition's meta hash, arachne:{<crawl>}:meta for partition 0; every other key of
-- the partition is named from its prefix and shares its hash tag, so on Redis Cluster it lives on
-- KEYS[1]'s shard. ARGV[1] is the crawl's time in epoch microseconds, or -1 for the server's own
-- (TIME); ARGV[2] is the crawl's mode: its order (bfs or dfs), then ':' and its flags for a crawl
-- of several partitions ('p') or with a Bloom filter ('b'), so that a crawl of one partition and
-- exact deduplication does no more than it needs. Instants are epoch microseconds; durations of the
-- slot's numbers are nanoseconds, as Java's SlotState holds them.

local META = KEYS[1]
local P = string.sub(META, 1, -5)
local ORDER, FLAGS = string.match(ARGV[2], '^(%a+):?(%a*)$')
local PARTITIONED = string.find(FLAGS, 'p', 1, true) ~= nil
local BLOOM_FILTER = string.find(FLAGS, 'b', 1, true) ~= nil
local READY = P .. 'ready'
local WAITING = P .. 'waiting'
local DEFERRED = P .. 'deferred'
local DEADLINES = P .. 'deadlines'
local SEEN = P .. 'seen'
local BLOOM = P .. 'bloom'
local ITEMS = P .. 'items'
local FEEDS = P .. 'feeds'
-- requests of this partition's leases for the slots of other partitions (docs/redis.md,
-- "Partitions"): a stream out:<k> per target partition k, and the targets that have entries, scored
-- by the time of their oldest
local OUTGOING = P .. 'outgoing'
-- on a target: the last entry of each source partition's out:<target> stream it queued
local INBOX = P .. 'inbox'

-- an idle slot's numbers are kept this long in case it comes back (MemoryFrontier's 10 minutes)
local IDLE_SLOT_MS = 600000
-- a queue member starts with its rank: 8 hex digits of depth, 13 of its order stamp (fixed width,
-- so that members of one priority sort by rank alone). The stamp is the time it was queued (µs on
-- the crawl's clock; the worker that queues a batch makes each stamp greater than its last), so
-- that requests of one priority and depth go in the order they were queued across partitions too
local RANK_LENGTH = 21
-- how much one call expires or promotes at most; the next call goes on
local BATCH = 100
-- how long an ending's answer is kept for the same ending asked again: longer than the engine
-- goes on trying a call (FrontierCalls: about two minutes)
local ENDED_KEPT_MS = 180000
-- how many outgoing entries to one target a reply carries at most
local FORWARD_BATCH = 64

local function outKey(target) return P .. 'out:' .. target end

-- counts a change of what decides the crawl's end (queued, leases out, outgoing): two readings of
-- every partition that find the same count saw no change between them
local function changed()
    if PARTITIONED then redis.call('HINCRBY', META, 'changes', 1) end
end

local function slotKey(name) return P .. 'slot:' .. name end
local function queueKey(name) return P .. 'q:' .. name end
local function leaseKey(token) return P .. 'lease:' .. token end
local function endedKey(token) return P .. 'ended:' .. token end

-- numbers are written as plain integers, never in exponent form
local function fmt(n) return string.format('%.0f', n) end

local function counter(field)
    return tonumber(redis.call('HGET', META, field) or '0')
end

local function now()
    local given = tonumber(ARGV[1])
    if given >= 0 then return given end
    local t = redis.call('TIME')
    return tonumber(t[1]) * 1000000 + tonumber(t[2])
end


local function micros(nanos) return math.ceil(nanos / 1000) end

local function rankOf(depth, sequence)
    if ORDER == 'dfs' then
        return string.format('%08x%013x', 2147483647 - depth, 4503599627370495 - sequence)
    end
    return string.format('%08x%013x', depth, sequence)
end

local function depthOf(rank)
    local d = tonumber(string.sub(rank, 1, 8), 16)
    if ORDER == 'dfs' then return 2147483647 - d end
    return d
end

local NUMBERS = {'concurrency', 'delay', 'randomize', 'local_slot', 'state_gap', 'floor',
    'paused_until', 'error_streak', 'error_backoff', 'throttle', 'version', 'in_flight',
    'next_start'}
local STRINGS = {'delay_reason', 'state_gap_reason', 'ready_member'}

-- a slot's hash as a table, or nil when the slot is not there
local function readSlot(name)
    local fields = {}
    for _, f in ipairs(NUMBERS) do fields[#fields + 1] = f end
    for _, f in ipairs(STRINGS) do fields[#fields + 1] = f end
    local values = redis.call('HMGET', slotKey(name), unpack(fields))
    if not values[1] then return nil end
    local s = {name = name}
    for i, f in ipairs(NUMBERS) do s[f] = tonumber(values[i]) or 0 end
    for i, f in ipairs(STRINGS) do s[f] = values[#NUMBERS + i] or '' end
    return s
end

-- writes a slot's numbers that change as leases start and end
local function saveSlot(s)
    redis.call('HSET', slotKey(s.name), 'in_flight', fmt(s.in_flight), 'next_start',
        fmt(s.next_start), 'floor', fmt(s.floor), 'paused_until', fmt(s.paused_until),
        'error_streak', fmt(s.error_streak), 'error_backoff', fmt(s.error_backoff),
        'throttle', fmt(s.throttle), 'state_gap', fmt(s.state_gap), 'state_gap_reason',
        s.state_gap_reason, 'version', fmt(s.version))
end

-- the slot's rule as Java's SlotRules gives it: {concurrency, delay ns, randomize 0/1, delay reason,
-- local 0/1, state gap ns of a new slot, its reason}; a new slot starts with nothing learned, an
-- existing one takes the rule of the latest worker to queue into it
local function ensureSlot(name, rule)
    local key = slotKey(name)
    if redis.call('EXISTS', key) == 0 then
        redis.call('HSET', key, 'concurrency', rule[1], 'delay', rule[2], 'randomize', rule[3],
            'delay_reason', rule[4], 'local_slot', rule[5], 'state_gap', rule[6],
            'state_gap_reason', rule[7], 'floor', '0', 'paused_until', '0', 'error_streak', '0',
            'error_backoff', '0', 'throttle', '-1', 'version', '0', 'in_flight', '0',
            'next_start', '0', 'ready_member', '')
    else
        redis.call('HSET', key, 'concurrency', rule[1], 'delay', rule[2], 'randomize', rule[3],
            'delay_reason', rule[4], 'local_slot', rule[5])
        redis.call('PERSIST', key)
    end
end

-- puts a slot in the ready index (scored and ranked by its best request), in the waiting index
-- (scored by its next start) or in neither (nothing queued, or every permit taken); an idle slot's
-- hash expires unless it comes back
local function reindex(s, at)
    if s.ready_member ~= '' then redis.call('ZREM', READY, s.ready_member) end
    redis.call('ZREM', WAITING, s.name)
    local member = ''
    local queued = false
    local head = redis.call('ZRANGE', queueKey(s.name), 0, 0, 'WITHSCORES')
    if head[1] then
        queued = true
        if s.in_flight < s.concurrency then
            if s.next_start <= at then
                member = string.sub(head[1], 1, RANK_LENGTH) .. s.name
                redis.call('ZADD', READY, head[2], member)
            else
                redis.call('ZADD', WAITING, fmt(s.next_start), s.name)
            end
        end
    end
    s.ready_member = member
    redis.call('HSET', slotKey(s.name), 'ready_member', member)
    if not queued and s.in_flight <= 0 then
        redis.call('PEXPIRE', slotKey(s.name), IDLE_SLOT_MS)
    end
end

-- adds a request to its slot's queue with its order stamp (the caller reindexes the slot); the
-- sequence counts the requests ever queued
local function enqueue(name, priority, depth, request, stamp)
    redis.call('HINCRBY', META, 'sequence', 1)
    redis.call('ZADD', queueKey(name), fmt(-priority), rankOf(depth, stamp) .. request)
end

-- the best request ready in this partition, {score, rank}, or {} when none is: what a worker
-- asks the partitions in the order of
local function bestReady()
    if not PARTITIONED then return {} end
    local head = redis.call('ZRANGE', READY, 0, 0, 'WITHSCORES')
    if not head[1] then return {} end
    return {head[2], string.sub(head[1], 1, RANK_LENGTH)}
end

local function reindexAll(touched, at)
    for name in pairs(touched) do
        local s = readSlot(name)
        if s then reindex(s, at) end
    end
end

-- a request waiting for its not-before time, with what it needs to be queued then (its slot's
-- rule too: an idle slot's hash may have expired by then)
local function defer(name, rule, priority, depth, request, notBefore)
    local id = string.format('%013x', redis.call('HINCRBY', META, 'sequence', 1))
    redis.call('ZADD', DEFERRED, fmt(notBefore), id .. cmsgpack.pack(name, priority, depth,
        request, rule[1], rule[2], rule[3], rule[4], rule[5], rule[6], rule[7]))
end

local function promoteDeferred(at)
    local due = redis.call('ZRANGEBYSCORE', DEFERRED, '-inf', fmt(at), 'LIMIT', 0, BATCH)
    local touched = {}
    for _, m in ipairs(due) do
        redis.call('ZREM', DEFERRED, m)
        local name, priority, depth, request, c, d, r, dr, l, g, gr =
            cmsgpack.unpack(string.sub(m, 14))
        ensureSlot(name, {c, d, r, dr, l, g, gr})
        enqueue(name, priority, depth, request, at)
        touched[name] = true
    end
    reindexAll(touched, at)
end

local function promoteWaiting(at)
    local due = redis.call('ZRANGEBYSCORE', WAITING, '-inf', fmt(at), 'LIMIT', 0, BATCH)
    for _, name in ipairs(due) do
        local s = readSlot(name)
        if s then reindex(s, at) else redis.call('ZREM', WAITING, name) end
    end
end

-- the arguments that describe requests to queue, from ARGV[i]: a count of slots, each as its name
-- and the 7 fields of its rule; a count of requests, each as the index of its slot, its
-- fingerprint ('' for none), whether the fingerprint filters ('1') or is only recorded ('0'), its
-- priority, its depth, its order stamp and its bytes (RequestCodec)
local function readRequests(i)
    local slots = {}
    local slotCount = tonumber(ARGV[i])
    i = i + 1
    for k = 1, slotCount do
        slots[k] = {name = ARGV[i], rule = {ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4],
            ARGV[i + 5], ARGV[i + 6], ARGV[i + 7]}}
        i = i + 8
    end
    local requests = {}
    local requestCount = tonumber(ARGV[i])
    i = i + 1
    for k = 1, requestCount do
        requests[k] = {slot = slots[tonumber(ARGV[i])], fingerprint = ARGV[i + 1],
            filter = ARGV[i + 2] == '1', priority = tonumber(ARGV[i + 3]),
            depth = tonumber(ARGV[i + 4]), stamp = tonumber(ARGV[i + 5]), bytes = ARGV[i + 6]}
        i = i + 7
    end
    return requests, i
end

-- a Bloom filter's numbers, read once per call
local bloomBits, bloomHashes
local function readBloom()
    if not bloomBits then
        local v = redis.call('HMGET', META, 'bloom_bits', 'bloom_hashes')
        bloomBits, bloomHashes = tonumber(v[1] or '0'), tonumber(v[2] or '0')
    end
end

-- adds a fingerprint (16 bytes) to the partition's seen set; true when it was not in it. A Bloom
-- filter is a string of bloom_bits bits with bloom_hashes probes, by double hashing the
-- fingerprint's first two 32-bit words (exact in Lua's doubles): new when a probe found its bit
-- unset
local function see(fingerprint)
    if not BLOOM_FILTER then return redis.call('SADD', SEEN, fingerprint) == 1 end
    readBloom()
    local b1, b2, b3, b4, b5, b6, b7, b8 = string.byte(fingerprint, 1, 8)
    local h1 = ((b1 * 256 + b2) * 256 + b3) * 256 + b4
    local h2 = ((b5 * 256 + b6) * 256 + b7) * 256 + b8
    if h2 % 2 == 0 then h2 = h2 + 1 end
    local new = false
    for i = 0, bloomHashes - 1 do
        if redis.call('SETBIT', BLOOM, (h1 + i * h2) % bloomBits, 1) == 0 then new = true end
    end
    if new then redis.call('HINCRBY', META, 'bloom_added', 1) end
    return new
end

-- how many fingerprints the partition has seen (for a Bloom filter: added as new)
local function seenCount()
    if BLOOM_FILTER then return counter('bloom_added') end
    return redis.call('SCARD', SEEN)
end

-- queues the requests not seen before; returns how many
local function queueRequests(requests, at)
    local touched = {}
    local ensured = {}
    local added = 0
    for _, r in ipairs(requests) do
        local queue = true
        if r.fingerprint ~= '' then
            queue = see(r.fingerprint) or not r.filter
        end
        if queue then
            if not ensured[r.slot.name] then
                ensureSlot(r.slot.name, r.slot.rule)
                ensured[r.slot.name] = true
            end
            enqueue(r.slot.name, r.priority, r.depth, r.bytes, r.stamp)
            touched[r.slot.name] = true
            added = added + 1
        end
    end
    if added > 0 then
        redis.call('HINCRBY', META, 'queued', added)
        changed()
    end
    reindexAll(touched, at)
    return added
end

-- keeps requests for the slots of partition target in out:<target> as one entry, until a worker has
-- forwarded them there and trimmed them (trim.lua)
local function keepOutgoing(target, requests, at)
    local packed = {}
    for k, r in ipairs(requests) do
        packed[k] = {r.slot.name, r.slot.rule[1], r.slot.rule[2], r.slot.rule[3], r.slot.rule[4],
            r.slot.rule[5], r.slot.rule[6], r.slot.rule[7], r.fingerprint, r.filter and 1 or 0,
            r.priority, r.depth, r.stamp, r.bytes}
    end
    local id = redis.call('HINCRBY', META, 'out_sequence:' .. target, 1)
    redis.call('XADD', outKey(target), fmt(id) .. '-0', 'at', fmt(at), 'requests',
        cmsgpack.pack(packed))
    redis.call('ZADD', OUTGOING, 'NX', fmt(at), target)
    redis.call('HINCRBY', META, 'outgoing', 1)
    changed()
end

-- the requests of an outgoing entry, as readRequests gives them
local function unpackOutgoing(data)
    local requests = {}
    for k, f in ipairs(cmsgpack.unpack(data)) do
        requests[k] = {slot = {name = f[1], rule = {f[2], f[3], f[4], f[5], f[6], f[7], f[8]}},
            fingerprint = f[9], filter = f[10] == 1, priority = f[11], depth = f[12],
            stamp = f[13], bytes = f[14]}
    end
    return requests
end

-- the oldest entries waiting for each target: {target, {sequence, data, ...}, ...}. A forward
-- always starts at the oldest entry, so that a target which has queued an entry has queued every
-- one before it (it keeps the last sequence it queued from each source)
local function pendingOutgoing(targets)
    local reply = {}
    for _, target in ipairs(targets) do
        local entries = redis.call('XRANGE', outKey(target), '-', '+', 'COUNT', FORWARD_BATCH)
        if entries[1] then
            local flat = {}
            for _, e in ipairs(entries) do
                flat[#flat + 1] = string.match(e[1], '^(%d+)')
                local fields = e[2]
                for i = 1, #fields, 2 do
                    if fields[i] == 'requests' then flat[#flat + 1] = fields[i + 1] end
                end
            end
            reply[#reply + 1] = target
            reply[#reply + 1] = flat
        end
    end
    return reply
end

local LEASE_FIELDS = {'slot', 'request', 'priority', 'depth', 'start', 'gap', 'previous',
    'deadline', 'worker', 'reason'}

local function readLease(token)
    local v = redis.call('HMGET', leaseKey(token), unpack(LEASE_FIELDS))
    if not v[1] then return nil end
    return {token = token, slot = v[1], request = v[2], priority = tonumber(v[3]),
        depth = tonumber(v[4]), start = tonumber(v[5]), gap = tonumber(v[6]),
        previous = tonumber(v[7]), deadline = tonumber(v[8]), worker = v[9],
        reason = v[10] or 'download_delay'}
end

local function dropLease(token)
    redis.call('DEL', leaseKey(token))
    redis.call('ZREM', DEADLINES, token)
end

-- applies a state computed by Java's Throttle.afterEnding if the slot's state is still the one it
-- was computed from (its version; -1 applies it whatever); update is {version, floor, paused
-- until, error streak, error backoff, throttle, state gap, state gap reason}. Returns false on a
-- conflict: the caller computes again from the state it is given back.
local function applyState(s, update)
    local expected = tonumber(update[1])
    if expected >= 0 and expected ~= s.version then return false end
    local floor, paused, streak, backoff, throttle, gap =
        tonumber(update[2]), tonumber(update[3]), tonumber(update[4]), tonumber(update[5]),
        tonumber(update[6]), tonumber(update[7])
    if floor ~= s.floor or paused ~= s.paused_until or streak ~= s.error_streak
        or backoff ~= s.error_backoff or throttle ~= s.throttle or gap ~= s.state_gap
        or update[8] ~= s.state_gap_reason then
        s.floor, s.paused_until, s.error_streak, s.error_backoff, s.throttle, s.state_gap =
            floor, paused, streak, backoff, throttle, gap
        s.state_gap_reason = update[8]
        s.version = s.version + 1
    end
    return true
end

-- the slot's next start after a lease ends: a sent request spaces it from the lease's start by
-- the floor or the error backoff; one never sent gives its start back unless another start moved
-- the slot since; a pause holds it (SlotSchedule.release)
local function spaceNextStart(s, lease, sent)
    if sent then
        s.next_start = math.max(s.next_start,
            lease.start + micros(math.max(s.floor, s.error_backoff)))
    elseif s.next_start == lease.start + micros(lease.gap) then
        s.next_start = lease.previous
    end
    s.next_start = math.max(s.next_start, s.paused_until)
end

-- frees a lease's permit; update as for applyState, or nil to leave the slot's state as it is.
-- Returns the slot (nil when it is gone) and whether the update conflicted.
local function release(lease, update, sent, at)
    local s = readSlot(lease.slot)
    if not s then return nil, false end
    s.in_flight = math.max(0, s.in_flight - 1)
    local conflict = false
    if update then conflict = not applyState(s, update) end
    spaceNextStart(s, lease, sent)
    saveSlot(s)
    reindex(s, at)
    return s, conflict
end

-- a lease whose deadline passed: its worker is presumed dead, its request is queued again, its
-- permit freed (its start counts as made)
local function expire(lease, at)
    dropLease(lease.token)
    local s = readSlot(lease.slot)
    if s then
        enqueue(lease.slot, lease.priority, lease.depth, lease.request, at)
        redis.call('HINCRBY', META, 'queued', 1)
        release(lease, nil, true, at)
    end
    redis.call('HINCRBY', META, 'leases_expired', 1)
    changed()
end

local function expireDue(at)
    local due = redis.call('ZRANGEBYSCORE', DEADLINES, '-inf', fmt(at), 'LIMIT', 0, BATCH)
    for _, token in ipairs(due) do
        local lease = readLease(token)
        if lease then expire(lease, at) else redis.call('ZREM', DEADLINES, token) end
    end
end

-- the lease of a token when it is still in force; an expired one is expired now
local function leaseInForce(token, at)
    local lease = readLease(token)
    if not lease then return nil end
    if lease.deadline <= at then
        expire(lease, at)
        return nil
    end
    return lease
end


local function slotState(s)
    return {fmt(s.floor), fmt(s.paused_until), fmt(s.error_streak), fmt(s.error_backoff),
        fmt(s.throttle), fmt(s.version)}
end
