package org.arachne.frontier;

import java.util.List;

/**
 * A frontier that keeps the requests that failed for good across runs, as the job dir's does: the
 * engine then writes its dead-letter feed from them (so the file holds each once, whatever stopped
 * a run), and {@code retry_failed} queues them again. A frontier that keeps none (the memory
 * frontier) does not implement it, and the engine appends each failure to the feed as it happens.
 *
 * <p>Thread-safety: as {@link Frontier}.
 */
public interface DeadLetterStore {

    /** Every dead letter kept, oldest first. */
    List<DeadLetter> deadLetters();

    /**
     * Queues every dead letter again and forgets it, in one atomic step: each request as it was
     * last leased, its retry count reset, bypassing deduplication (it was seen before).
     *
     * @return how many were queued
     */
    int requeueDeadLetters();
}
