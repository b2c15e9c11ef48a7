-- Extends a lease in force. ARGV[3]: the token; ARGV[4]: the lease's duration in microseconds.
-- Returns {1, the new deadline, the time}, or {0, the time} when the lease is lost.
local at = now()
local lease = leaseInForce(ARGV[3], at)
if not lease then return {0, at} end
local deadline = at + tonumber(ARGV[4])
redis.call('HSET', leaseKey(lease.token), 'deadline', fmt(deadline))
redis.call('ZADD', DEADLINES, fmt(deadline), lease.token)
return {1, deadline, at}
