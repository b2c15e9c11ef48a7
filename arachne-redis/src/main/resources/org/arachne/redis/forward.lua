-- Queues on this partition requests that another partition's leases produced for its slots: the
-- entries of out:<this partition> on the source, as pendingOutgoing gave them. ARGV[3]: the source
-- partition; from ARGV[4]: the entries, each as its sequence and its data. An entry at or before
-- the last one queued from the source (an entry forwarded again: by a worker that died before it
-- trimmed it, or by two workers at once) is skipped, so each is queued once; its requests are then
-- deduplicated as any others. Returns {the last sequence queued from the source, requests queued,
-- the best ready (bestReady), the time}.
local at = now()
local source = ARGV[3]
local last = tonumber(redis.call('HGET', INBOX, source) or '0')
local queued = 0
for i = 4, #ARGV, 2 do
    local sequence = tonumber(ARGV[i])
    if sequence > last then
        queued = queued + queueRequests(unpackOutgoing(ARGV[i + 1]), at)
        last = sequence
    end
end
redis.call('HSET', INBOX, source, fmt(last))
return {last, queued, bestReady(), at}
