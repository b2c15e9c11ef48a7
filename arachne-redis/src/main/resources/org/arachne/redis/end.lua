-- Ends a lease as one atomic step. ARGV[3]: the token; ARGV[4]: done, retry or fail; ARGV[5]: the
-- ending's id, new for each ending, the same when the worker asks again after a call that got no
-- answer; ARGV[6..13]: the slot's new state as applyState takes it (ARGV[6] = '' for none);
-- ARGV[14]: 1 when the request was sent; ARGV[15], ARGV[16]: the source request and the items
-- (ItemCodec) to append to the item stream, '' for none; ARGV[17]: for a retry, its delay in
-- microseconds; from ARGV[18]: the requests, as readRequests reads them (for a done the produced
-- ones, for a retry the one to queue again). Returns {1, requests queued, the item batch's
-- sequence (0 for none), 1 when the state update conflicted, the lease's start, the slot's state
-- (floor, paused until, error streak, error backoff, throttle, version), the time}, or {0, the
-- time} when the lease is lost.
-- The ending's id and answer are kept for ENDED_KEPT_MS under ended:<token>: the same ending asked
-- again (its answer was lost; the worker or its client asked again) gets that answer again, where
-- any other ending of the lease is lost.
-- After the requests: the suffix of the outbox the items go to ('' or absent for the crawl's
-- stream, ':<worker>' for a worker's own); then, for a done, the produced requests of other
-- partitions' slots: a count of target partitions, each as its number and its requests as
-- readRequests reads them, kept in out:<target> (keepOutgoing). Before the time, the reply ends
-- with the best ready (bestReady) and what waits for those targets, as pendingOutgoing gives it,
-- for the worker to forward.
local at = now()
local ended = redis.call('GET', endedKey(ARGV[3]))
if ended then
    local id, queuedBefore, batchBefore = string.match(ended, '^([^:]*):(%d+):(%d+)$')
    if id ~= ARGV[5] then return {0, at} end
    return {1, tonumber(queuedBefore), tonumber(batchBefore), 0, 0, '0', '0', '0', '0', '-1', '0',
        bestReady(), pendingOutgoing(redis.call('ZRANGE', OUTGOING, 0, -1)), at}
end
local lease = leaseInForce(ARGV[3], at)
if not lease then return {0, at} end
dropLease(lease.token)
local kind = ARGV[4]
local requests, after = readRequests(18)
local outbox = ARGV[after] or ''
local queued = 0
local batch = 0
local targets = {}
changed()
if kind == 'done' then
    queued = queueRequests(requests, at)
    local i = after + 2
    for _ = 1, tonumber(ARGV[after + 1] or '0') do
        local target = ARGV[i]
        local others
        others, i = readRequests(i + 1)
        if others[1] then
            keepOutgoing(target, others, at)
            targets[#targets + 1] = target
        end
    end
    if ARGV[16] ~= '' then
        batch = redis.call('HINCRBY', META, 'outbox_sequence' .. outbox, 1)
        redis.call('XADD', ITEMS .. outbox, fmt(batch) .. '-0', 'source', ARGV[15], 'items',
            ARGV[16])
    end
    redis.call('HINCRBY', META, 'done', 1)
    redis.call('HINCRBY', P .. 'slot_done', lease.slot, 1)
elseif kind == 'retry' then
    local r = requests[1]
    defer(r.slot.name, r.slot.rule, r.priority, r.depth, r.bytes, at + tonumber(ARGV[17]))
    redis.call('HINCRBY', META, 'queued', 1)
    redis.call('HINCRBY', META, 'retried', 1)
else
    redis.call('HINCRBY', META, 'failed', 1)
    redis.call('HINCRBY', P .. 'slot_failed', lease.slot, 1)
end
local update = nil
if ARGV[6] ~= '' then
    update = {ARGV[6], ARGV[7], ARGV[8], ARGV[9], ARGV[10], ARGV[11], ARGV[12], ARGV[13]}
end
local s, conflict = release(lease, update, ARGV[14] == '1', at)
redis.call('SET', endedKey(lease.token), ARGV[5] .. ':' .. fmt(queued) .. ':' .. fmt(batch), 'PX',
    ENDED_KEPT_MS)
local reply = {1, queued, batch, conflict and 1 or 0, lease.start}
if s then
    for _, v in ipairs(slotState(s)) do reply[#reply + 1] = v end
else
    for _ = 1, 6 do reply[#reply + 1] = '0' end
end
reply[#reply + 1] = bestReady()
reply[#reply + 1] = pendingOutgoing(targets)
reply[#reply + 1] = at
return reply
