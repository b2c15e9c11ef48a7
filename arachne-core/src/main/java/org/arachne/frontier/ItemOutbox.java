package org.arachne.frontier;

import java.time.Duration;
import java.util.List;

/**
 * Items committed by done leases, waiting to be written to the feeds. {@link Frontier#done} appends
 * a lease's items here in the same atomic step that ends the lease (one transaction in a durable
 * frontier); the engine's feed writer takes them in commit order, writes them and acknowledges how
 * far it got. Items are at least once up to the feeds: what was taken and not acknowledged when a
 * durable frontier stopped is given again when it resumes; a feed that records its acknowledged
 * position with the acknowledgement makes them exactly once.
 *
 * <p>Thread-safety: any thread may append (through {@code done}); one consumer at a time takes.
 */
public interface ItemOutbox {

    /**
     * Takes the oldest committed batches not taken yet, waiting up to {@code maxWait} for the first
     * one.
     *
     * @param maxBatches at most this many
     * @return in commit order; empty when none came in time
     * @throws InterruptedException when the waiting thread is interrupted
     */
    List<CommittedItems> poll(int maxBatches, Duration maxWait) throws InterruptedException;

    /** Every batch up to and including {@code sequence} was written to every feed. */
    void acknowledge(long sequence);

    /** Batches committed and not taken yet. */
    long ready();

    /** Batches committed and not acknowledged yet (taken or not). */
    long pending();
}
