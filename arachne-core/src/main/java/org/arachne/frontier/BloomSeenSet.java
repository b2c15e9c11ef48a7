package org.arachne.frontier;

import com.google.common.hash.BloomFilter;
import com.google.common.hash.Funnel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
    private final double falsePositiveRate;
    private final long bits;
    private long added;

    BloomSeenSet(long expectedCount, double falsePositiveRate) {
        this(checked(expectedCount, falsePositiveRate), expectedCount, falsePositiveRate, 0);
    }

    private BloomSeenSet(
            BloomFilter<Fingerprint> filter,
            long expectedCount,
            double falsePositiveRate,
            long added) {
        this.filter = filter;
        this.expectedCount = expectedCount;
        this.falsePositiveRate = falsePositiveRate;
        this.added = added;
        // Guava's formula (optimal bits for n and p), kept to report the heap it holds.
        this.bits =
                (long) (-expectedCount * Math.log(falsePositiveRate) / (Math.log(2) * Math.log(2)));
    }

    private static BloomFilter<Fingerprint> checked(long expectedCount, double falsePositiveRate) {
        if (expectedCount < 1) {
            throw new IllegalArgumentException(
                    "a Bloom filter needs an expected count of at least 1, got " + expectedCount);
        }
        if (!(falsePositiveRate > 0 && falsePositiveRate < 1)) {
            throw new IllegalArgumentException(
                    "a Bloom filter's false-positive rate must be between 0 and 1, got "
                            + falsePositiveRate);
        }
        return BloomFilter.create(FUNNEL, expectedCount, falsePositiveRate);
    }

    /**
     * A filter saved by {@link #writeTo}, with the numbers it was made with.
     *
     * @throws IOException when the bytes are no saved filter
     */
    static BloomSeenSet readFrom(
            InputStream in, long expectedCount, double falsePositiveRate, long added)
            throws IOException {
        return new BloomSeenSet(
                BloomFilter.readFrom(in, FUNNEL), expectedCount, falsePositiveRate, added);
    }

    /** Saves the filter's bits, for a durable frontier; {@link #readFrom} reads them back. */
    void writeTo(OutputStream out) throws IOException {
        filter.writeTo(out);
    }

    long expectedCount() {
        return expectedCount;
    }

    double falsePositiveRate() {
        return falsePositiveRate;
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
