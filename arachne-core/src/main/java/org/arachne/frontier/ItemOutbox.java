package org.arachne.frontier;

import java.time.Duration;
import java.util.List;
import java.util.Map;

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

    /**
     * Every batch up to and including {@code sequence} was written to every feed, whose files then
     * ended at these byte positions (keyed by {@code FeedFile.key()}). A durable outbox keeps both
     * in one step, so that a resumed crawl cuts each file back to its position and is given again
     * exactly the batches after {@code sequence}: every item once in every file.
     */
    default void acknowledge(long sequence, Map<String, Long> feedPositions) {
        acknowledge(sequence);
    }

    /**
     * The feed positions of the last acknowledgement an earlier run kept; empty for a fresh or a
     * memory outbox.
     */
    default Map<String, Long> feedPositions() {
        return Map.of();
    }

    /**
     * Whether acknowledgements outlive the process. The feed writer then forces the feeds to
     * storage before each one, so that a position it records is never past what the file holds.
     */
    default boolean isDurable() {
        return false;
    }

    /** Batches committed and not taken yet. */
    long ready();

    /** Batches committed and not acknowledged yet (taken or not). */
    long pending();
}
