-- Ends a lease as one atomic step. ARGV[3]: the token; ARGV[4]: done, retry or fail; ARGV[5..12]:
-- the slot's new state as applyState takes it (ARGV[5] = '' for none); ARGV[13]: 1 when the
-- request was sent; ARGV[14], ARGV[15]: the source request and the items (ItemCodec) to append to
-- the item stream, '' for none; ARGV[16]: for a retry, its delay in microseconds; from ARGV[17]:
-- the requests, as readRequests reads them (for a done the produced ones, for a retry the one to
-- queue again). Returns {1, requests queued, the item batch's sequence (0 for none), 1 when the
-- state update conflicted, the lease's start, the slot's state (floor, paused until, error
-- streak, error backoff, throttle, version), the time}, or {0, the time} when the lease is lost.
-- After the requests: the suffix of the outbox the items go to ('' or absent for the crawl's
-- stream, ':<worker>' for a worker's own).
local at = now()
local lease = leaseInForce(ARGV[3], at)
if not lease then return {0, at} end
dropLease(lease.token)
local kind = ARGV[4]
local requests, after = readRequests(17)
local outbox = ARGV[after] or ''
local queued = 0
local batch = 0
if kind == 'done' then
    queued = queueRequests(requests, at)
    if ARGV[15] ~= '' then
        batch = redis.call('HINCRBY', META, 'outbox_sequence' .. outbox, 1)
        redis.call('XADD', ITEMS .. outbox, fmt(batch) .. '-0', 'source', ARGV[14], 'items',
            ARGV[15])
    end
    redis.call('HINCRBY', META, 'done', 1)
elseif kind == 'retry' then
    local r = requests[1]
    defer(r.slot.name, r.slot.rule, r.priority, r.depth, r.bytes, at + tonumber(ARGV[16]))
    redis.call('HINCRBY', META, 'queued', 1)
    redis.call('HINCRBY', META, 'retried', 1)
else
    redis.call('HINCRBY', META, 'failed', 1)
end
local update = nil
if ARGV[5] ~= '' then
    update = {ARGV[5], ARGV[6], ARGV[7], ARGV[8], ARGV[9], ARGV[10], ARGV[11], ARGV[12]}
end
local s, conflict = release(lease, update, ARGV[13] == '1', at)
local reply = {1, queued, batch, conflict and 1 or 0, lease.start}
if s then
    for _, v in ipairs(slotState(s)) do reply[#reply + 1] = v end
else
    for _ = 1, 6 do reply[#reply + 1] = '0' end
end
reply[#reply + 1] = at
return reply
