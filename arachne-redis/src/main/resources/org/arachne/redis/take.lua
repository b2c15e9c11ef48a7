-- Takes the best request among the slots ready now together with a permit of its slot, and
-- records the lease. ARGV[3]: the lease's duration in microseconds; ARGV[4]: the factor of a
-- randomised delay (Throttle.delayFactor); ARGV[5]: the worker; ARGV[6]: the lease's token, chosen
-- by the worker (unique in the crawl). A token that names a lease in force is a take whose answer
-- the worker did not get (the connection broke, the call timed out, the client sent it again):
-- it gets the same lease again, and no second one is taken.
-- Returns {1, token, slot, request, deadline, gap ns, its reason, the slot's state (floor, paused
-- until, error streak, error backoff, throttle, version), the best ready (bestReady), stale
-- outgoing, the time}, or {0, microseconds until the next event (-1 for none), leases out, requests
-- queued, outgoing entries, the best ready, stale outgoing, the time}. Stale outgoing: the entries waiting for one target partition for
-- longer than STALE_OUTGOING_US, as pendingOutgoing gives them (their worker died before it
-- forwarded them, or could not), for this worker to forward.
local STALE_OUTGOING_US = 5000000
local at = now()
expireDue(at)
promoteDeferred(at)
promoteWaiting(at)

local stale = {}
if PARTITIONED then
    local oldest = redis.call('ZRANGEBYSCORE', OUTGOING, '-inf', fmt(at - STALE_OUTGOING_US),
        'LIMIT', 0, 1)
    if oldest[1] then stale = pendingOutgoing(oldest) end
end

local function leaseReply(lease, s)
    local reply = {1, lease.token, lease.slot, lease.request, lease.deadline, lease.gap,
        lease.reason}
    for _, v in ipairs(slotState(s)) do reply[#reply + 1] = v end
    reply[#reply + 1] = bestReady()
    reply[#reply + 1] = stale
    reply[#reply + 1] = at
    return reply
end

local token = ARGV[6]
local held = leaseInForce(token, at)
if held then
    local s = readSlot(held.slot) or {floor = 0, paused_until = 0, error_streak = 0,
        error_backoff = 0, throttle = -1, version = 0}
    return leaseReply(held, s)
end

local function nextEvent()
    local soonest = -1
    for _, key in ipairs({WAITING, DEFERRED, DEADLINES}) do
        local first = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
        if first[2] then
            local wait = math.max(1, tonumber(first[2]) - at)
            if soonest < 0 or wait < soonest then soonest = wait end
        end
    end
    return soonest
end

for _ = 1, 3 do
    local best = redis.call('ZRANGE', READY, 0, 0)
    if not best[1] then break end
    local name = string.sub(best[1], RANK_LENGTH + 1)
    local s = readSlot(name)
    local popped = s and redis.call('ZPOPMIN', queueKey(name)) or {}
    if not popped[1] then
        -- an index entry without a request behind it: drop it and look again
        redis.call('ZREM', READY, best[1])
        if s then reindex(s, at) end
    else
        redis.call('HINCRBY', META, 'queued', -1)
        changed()
        local member = popped[1]
        local priority = -tonumber(popped[2])
        local depth = depthOf(string.sub(member, 1, RANK_LENGTH))
        local request = string.sub(member, RANK_LENGTH + 1)
        -- the gap after this start: Throttle.gapAfterStart from the rule and the stored state gap
        local gap, reason = 0, 'download_delay'
        if s.local_slot ~= 1 then
            gap, reason = s.delay, s.delay_reason
            if gap > 0 and s.randomize == 1 then
                gap = math.floor(gap * tonumber(ARGV[4]) + 0.5)
            end
            if s.state_gap > gap then gap, reason = s.state_gap, s.state_gap_reason end
        end
        local previous = s.next_start
        s.in_flight = s.in_flight + 1
        s.next_start = at + micros(gap)
        redis.call('HSET', slotKey(name), 'in_flight', fmt(s.in_flight), 'next_start',
            fmt(s.next_start))
        reindex(s, at)
        local deadline = at + tonumber(ARGV[3])
        redis.call('HSET', leaseKey(token), 'slot', name, 'request', request, 'priority',
            fmt(priority), 'depth', fmt(depth), 'start', fmt(at), 'gap', fmt(gap), 'reason',
            reason, 'previous', fmt(previous), 'deadline', fmt(deadline), 'worker', ARGV[5])
        redis.call('ZADD', DEADLINES, fmt(deadline), token)
        return leaseReply({token = token, slot = name, request = request, deadline = deadline,
            gap = gap, reason = reason}, s)
    end
end
local outgoing = 0
if PARTITIONED then outgoing = counter('outgoing') end
return {0, nextEvent(), redis.call('ZCARD', DEADLINES), counter('queued'), outgoing, bestReady(),
    stale, at}
