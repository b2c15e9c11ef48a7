-- The crawl's counts, after expiring the leases whose deadline passed. Returns {requests queued,
-- leases out, leases expired in all, fingerprints seen, the time}.
local at = now()
expireDue(at)
return {counter('queued'), redis.call('ZCARD', DEADLINES), counter('leases_expired'),
    redis.call('SCARD', SEEN), at}
