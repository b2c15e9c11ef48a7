package org.arachne.frontier;

import com.carrotsearch.hppc.LongHashSet;

/** {@link SeenSet#exact()}: the high 64 bits of each fingerprint in a primitive long set. */
final class ExactSeenSet implements SeenSet {
    private final LongHashSet fingerprints = new LongHashSet();

    @Override
    public boolean add(Fingerprint fingerprint) {
        return fingerprints.add(fingerprint.high());
    }

    @Override
    public long size() {
        return fingerprints.size();
    }

    @Override
    public long heapBytes() {
        return fingerprints.ramBytesAllocated();
    }
}
