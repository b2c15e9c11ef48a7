package org.arachne.frontier;

/**
 * How a frontier drops requests it has seen before ({@code dupefilter}): exactly, or with a Bloom
 * filter sized for an expected count; see {@link SeenSet}.
 *
 * @param bloom whether to use a Bloom filter instead of an exact set
 * @param expectedCount for a Bloom filter: the fingerprints the crawl is expected to see
 * @param falsePositiveRate for a Bloom filter: the chance a new request is taken for a seen one
 */
public record Dedup(boolean bloom, long expectedCount, double falsePositiveRate) {
    /** Exact deduplication. */
    public static final Dedup EXACT = new Dedup(false, 0, 0);

    /** A Bloom filter of this size and false-positive rate. */
    public static Dedup bloom(long expectedCount, double falsePositiveRate) {
        return new Dedup(true, expectedCount, falsePositiveRate);
    }

    /** A new, empty seen set of this kind, for a frontier kept in memory. */
    public SeenSet newSeenSet() {
        return bloom ? SeenSet.bloom(expectedCount, falsePositiveRate) : SeenSet.exact();
    }
}
