package org.arachne.frontier;

import java.time.Instant;
import java.util.Objects;
import org.arachne.http.Request;

/**
 * A request taken from the frontier together with its slot permit. The engine ends every lease
 * exactly once, with {@link Frontier#done}, {@link Frontier#retry} or {@link Frontier#fail}, and
 * {@linkplain Frontier#renew renews} it while it works. A lease not ended or renewed by its
 * deadline is expired: its request is queued again and its late ending is refused as {@link
 * Ending#LEASE_LOST}, so one response's items are never stored twice.
 *
 * @param token opaque, unique among the leases a frontier has given out; fences late endings
 * @param request the request to download
 * @param slot the politeness slot whose permit the lease holds
 * @param deadline when the frontier may take the lease back unless it is renewed
 */
public record Lease(String token, Request request, String slot, Instant deadline) {
    public Lease {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(slot, "slot");
        Objects.requireNonNull(deadline, "deadline");
    }

    /** The same lease with a later deadline. */
    public Lease withDeadline(Instant newDeadline) {
        return new Lease(token, request, slot, newDeadline);
    }
}
