package org.arachne.frontier;

import java.time.Instant;
import java.util.Objects;
import org.arachne.http.Request;

/**
 * A request taken from the frontier together with its slot permit. The engine ends every lease
 * exactly once, with {@link Frontier#done}, {@link Frontier#retry} or {@link Frontier#fail}. A
 * lease not ended by its deadline (its worker died) may be expired by a shared frontier and its
 * request queued again.
 *
 * @param id unique among the leases of one frontier
 * @param request the request to download
 * @param slot the politeness slot whose permit the lease holds
 * @param deadline when a shared frontier may take the lease back
 */
public record Lease(long id, Request request, String slot, Instant deadline) {
    public Lease {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(slot, "slot");
        Objects.requireNonNull(deadline, "deadline");
    }
}
