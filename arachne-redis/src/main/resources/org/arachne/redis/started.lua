-- The leased request is being sent now: the slot's next start is spaced by the lease's gap from
-- now rather than from the take. ARGV[3]: the token. Returns {1, the time}, or {0, the time} for
-- a lease not in force.
local at = now()
local lease = leaseInForce(ARGV[3], at)
if not lease then return {0, at} end
redis.call('HSET', leaseKey(lease.token), 'start', fmt(at))
local s = readSlot(lease.slot)
if s and lease.gap > 0 and at + micros(lease.gap) > s.next_start then
    s.next_start = at + micros(lease.gap)
    redis.call('HSET', slotKey(s.name), 'next_start', fmt(s.next_start))
    reindex(s, at)
end
return {1, at}
