package org.arachne.frontier;

/**
 * The fingerprints of every request a crawl has queued, for deduplication. Two kinds, chosen by the
 * {@code dupefilter} setting:
 *
 * <ul>
 *   <li>{@link #exact()}: 64 bits of each fingerprint in a primitive hash set, about 16–32 bytes
 *       per fingerprint. Two different requests share 64 bits with a probability of about n² / 2⁶⁵
 *       for the whole crawl (3 × 10⁻⁶ at 10 million requests), so it is exact in practice.
 *   <li>{@link #bloom}: a Bloom filter sized for an expected count and false-positive rate, a few
 *       bits per fingerprint. A false positive drops a request that was never crawled; past the
 *       expected count the rate grows.
 * </ul>
 *
 * <p>Not thread-safe: a frontier calls it under its own lock.
 */
public interface SeenSet {

    /**
     * Remembers a fingerprint.
     *
     * @return true when it was not seen before (a Bloom filter may answer false for a new one)
     */
    boolean add(Fingerprint fingerprint);

    /** Fingerprints added (for a Bloom filter: additions that answered true). */
    long size();

    /** Bytes of heap the set holds now, for stats and the memory benchmark. */
    long heapBytes();

    /** An exact set, growing as needed. */
    static SeenSet exact() {
        return new ExactSeenSet();
    }

    /**
     * A Bloom filter.
     *
     * @param expectedCount fingerprints the crawl is expected to see; past it the false-positive
     *     rate grows
     * @param falsePositiveRate the chance that a new fingerprint is taken for a seen one, while at
     *     most {@code expectedCount} were added; between 0 and 1, exclusive
     */
    static SeenSet bloom(long expectedCount, double falsePositiveRate) {
        return new BloomSeenSet(expectedCount, falsePositiveRate);
    }
}
