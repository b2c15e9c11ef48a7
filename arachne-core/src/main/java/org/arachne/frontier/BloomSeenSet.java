package org.arachne.frontier;

import com.google.common.hash.BloomFilter;
import com.google.common.hash.Funnel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SeenSet#bloom}: Guava's Bloom filter over the 128 bits of each fingerprint. Warns once
 * when more fingerprints than expected were added, since the false-positive rate grows from there.
 */
final class BloomSeenSet implements SeenSet {
    private static final Logger log = LoggerFactory.getLogger(BloomSeenSet.class);
    private static final Funnel<Fingerprint> FUNNEL =
            (fingerprint, into) -> into.putLong(fingerprint.high()).putLong(fingerprint.low());

    private final BloomFilter<Fingerprint> filter;
    private final long expectedCount;
    private final long bits;
    private long added;

    BloomSeenSet(long expectedCount, double falsePositiveRate) {
        if (expectedCount < 1) {
            throw new IllegalArgumentException(
                    "a Bloom filter needs an expected count of at least 1, got " + expectedCount);
        }
        if (!(falsePositiveRate > 0 && falsePositiveRate < 1)) {
            throw new IllegalArgumentException(
                    "a Bloom filter's false-positive rate must be between 0 and 1, got "
                            + falsePositiveRate);
        }
        this.expectedCount = expectedCount;
        this.filter = BloomFilter.create(FUNNEL, expectedCount, falsePositiveRate);
        // Guava's formula (optimal bits for n and p), kept to report the heap it holds.
        this.bits =
                (long) (-expectedCount * Math.log(falsePositiveRate) / (Math.log(2) * Math.log(2)));
    }

    @Override
    public boolean add(Fingerprint fingerprint) {
        boolean isNew = filter.put(fingerprint);
        if (isNew && ++added == expectedCount + 1) {
            log.warn(
                    "the Bloom filter of seen requests holds more than the {} expected; its"
                            + " false-positive rate is now {} and grows (raise"
                            + " dupefilter_expected_count)",
                    expectedCount,
                    filter.expectedFpp());
        }
        return isNew;
    }

    @Override
    public long size() {
        return added;
    }

    @Override
    public long heapBytes() {
        return bits / 8;
    }
}
