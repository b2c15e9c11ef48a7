-- Queues requests that no lease produced (start requests), from ARGV[3] on as readRequests reads
-- them. Returns {how many were queued}.
local at = now()
local requests = readRequests(3)
return {queueRequests(requests, at)}
