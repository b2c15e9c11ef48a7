package org.arachne.redis;

import org.arachne.frontier.Dedup;
import org.arachne.frontier.FrontierException;

/**
 * A Bloom filter's size in each partition ({@code see} in lib.lua): the bits that hold the
 * partition's share of the expected count at the false-positive rate, and the probes that make that
 * rate. A partition holds the fingerprints of its slots, and a crawl of few hosts spreads them
 * unevenly, so each of N &gt; 1 partitions is sized for twice its even share (at most the whole
 * count).
 *
 * @param capacity the fingerprints each partition holds at the rate
 */
record BloomSize(long capacity, long bits, int hashes) {
    /** A Redis string holds 2^32 bits at most. */
    static final long MAX_BITS = 1L << 32;

    static final BloomSize NONE = new BloomSize(0, 0, 0);

    static BloomSize of(Dedup dedup, int partitions) {
        long expected = dedup.expectedCount();
        long capacity =
                partitions == 1
                        ? expected
                        : Math.min(expected, Math.ceilDiv(2 * expected, partitions));
        double ln2 = Math.log(2);
        double bits = -capacity * Math.log(dedup.falsePositiveRate()) / (ln2 * ln2);
        if (bits > MAX_BITS) {
            throw new FrontierException(
                    "a Bloom filter for "
                            + expected
                            + " requests at a false-positive rate of "
                            + dedup.falsePositiveRate()
                            + " needs "
                            + (long) Math.ceil(bits)
                            + " bits in each of "
                            + partitions
                            + " partition(s), more than a Redis string's 2^32: give the"
                            + " crawl more partitions",
                    FrontierException.Kind.REFUSED,
                    false,
                    null);
        }
        int hashes = (int) Math.max(1, Math.round(bits / capacity * ln2));
        return new BloomSize(capacity, Math.max(64, (long) Math.ceil(bits)), hashes);
    }
}
