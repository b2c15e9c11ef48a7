package org.arachne.frontier;

/**
 * A frontier's answer to the end of a lease: accepted (and for {@link Frontier#done}, how many of
 * the produced requests were new and queued), or lease-lost: the lease had expired or was ended
 * before, nothing of this ending was stored, and the request is (or was) queued again.
 *
 * @param accepted whether the ending was stored
 * @param queued produced requests queued (the others were duplicates); 0 unless a done ending
 */
public record Ending(boolean accepted, int queued) {
    /** The lease was not out any more: the ending changed nothing. */
    public static final Ending LEASE_LOST = new Ending(false, 0);

    /** Accepted, with this many produced requests queued. */
    public static Ending accepted(int queued) {
        return new Ending(true, queued);
    }
}
