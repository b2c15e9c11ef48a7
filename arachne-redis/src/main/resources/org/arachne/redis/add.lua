-- Queues requests that no lease produced (start requests), from ARGV[3] on as readRequests reads
-- them. Returns {how many were queued, the best ready (bestReady), the time}.
local at = now()
local requests = readRequests(3)
local queued = queueRequests(requests, at)
return {queued, bestReady(), at}
