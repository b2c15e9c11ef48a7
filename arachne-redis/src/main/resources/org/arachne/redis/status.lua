-- The partition's counts, after expiring the leases whose deadline passed. Returns {requests
-- queued, leases out, leases expired in all, fingerprints seen, outgoing entries, the count of
-- changes (see changed() in lib.lua), the time}.
local at = now()
expireDue(at)
return {counter('queued'), redis.call('ZCARD', DEADLINES), counter('leases_expired'),
    seenCount(), counter('outgoing'), counter('changes'), at}
