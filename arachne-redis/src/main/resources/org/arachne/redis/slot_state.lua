-- Stores a slot's state that end.lua could not (it changed since the state it was computed from),
-- and spaces the next start again from the lease's start with it. ARGV[3]: the slot; ARGV[4..11]:
-- the update as applyState takes it; ARGV[12]: the lease's start; ARGV[13]: 1 when the request
-- was sent. Returns {1 when stored, the slot's state (floor, paused until, error streak, error
-- backoff, throttle, version), the time}.
local at = now()
local s = readSlot(ARGV[3])
if not s then return {1, '0', '0', '0', '0', '-1', '0', at} end
local stored = applyState(s, {ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8], ARGV[9], ARGV[10],
    ARGV[11]})
if stored then
    if ARGV[13] == '1' then
        spaceNextStart(s, {start = tonumber(ARGV[12]), gap = 0, previous = 0}, true)
    else
        s.next_start = math.max(s.next_start, s.paused_until)
    end
    saveSlot(s)
    reindex(s, at)
end
local reply = {stored and 1 or 0}
for _, v in ipairs(slotState(s)) do reply[#reply + 1] = v end
reply[#reply + 1] = at
return reply
