-- Drops the entries of out:<target> up to sequence ARGV[4] once the target partition ARGV[3] has
-- queued them (forward.lua answered that sequence). Returns {entries dropped, the time}.
local at = now()
local target = ARGV[3]
local dropped = redis.call('XTRIM', outKey(target), 'MINID', fmt(tonumber(ARGV[4]) + 1) .. '-0')
if dropped > 0 then
    redis.call('HINCRBY', META, 'outgoing', -dropped)
    changed()
    local head = redis.call('XRANGE', outKey(target), '-', '+', 'COUNT', 1)
    if head[1] then
        local fields = head[1][2]
        for i = 1, #fields, 2 do
            if fields[i] == 'at' then redis.call('ZADD', OUTGOING, fields[i + 1], target) end
        end
    else
        redis.call('ZREM', OUTGOING, target)
    end
end
return {dropped, at}
