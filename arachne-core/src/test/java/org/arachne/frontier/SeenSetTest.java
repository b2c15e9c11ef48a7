package org.arachne.frontier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SeenSetTest {

    @Test
    void exact_answersNewOnlyOnce_andAddsEveryDistinctFingerprint() {
        SeenSet set = SeenSet.exact();
        SplittableRandom random = new SplittableRandom(1);
        int n = 200_000;
        long[] highs = new long[n];
        for (int i = 0; i < n; i++) {
            highs[i] = random.nextLong();
            assertThat(set.add(new Fingerprint(highs[i], i))).isTrue();
        }
        for (int i = 0; i < n; i += 997) {
            assertThat(set.add(new Fingerprint(highs[i], i))).isFalse();
        }
        assertThat(set.size()).isEqualTo(n);
        assertThat(set.heapBytes())
                .as("a primitive set: 8 bytes per slot, load factor 0.75, power-of-two sized")
                .isBetween(8L * n, 8L * 4 * n);
    }

    @Test
    void bloom_keepsItsFalsePositiveRateUpToTheExpectedCount() {
        int expected = 100_000;
        double rate = 0.01;
        SeenSet set = SeenSet.bloom(expected, rate);
        SplittableRandom random = new SplittableRandom(2);
        int falsePositives = 0;
        for (int i = 0; i < expected; i++) {
            if (!set.add(new Fingerprint(random.nextLong(), random.nextLong()))) {
                falsePositives++; // a new fingerprint taken for a seen one
            }
        }
        assertThat(set.add(new Fingerprint(1, 2))).isTrue();
        assertThat(set.add(new Fingerprint(1, 2)))
                .as("a Bloom filter has no false negatives")
                .isFalse();
        // Filling up to the expected count, the rate climbs from 0 to about `rate`; on average
        // it stays well below it.
        assertThat(falsePositives).isLessThan((int) (expected * rate));
        int probes = 10_000; // each probe is added too: keep the overfill small
        int hits = 0;
        for (int i = 0; i < probes; i++) {
            if (!set.add(new Fingerprint(random.nextLong(), random.nextLong()))) {
                hits++;
            }
        }
        assertThat((double) hits / probes)
                .as("false-positive rate once full")
                .isBetween(rate / 3, rate * 2.5);
        assertThat(set.heapBytes())
                .as("about 9.6 bits per fingerprint at 1 %")
                .isBetween(110_000L, 130_000L);
    }

    @Test
    void bloom_refusesNonsenseSizes() {
        assertThatThrownBy(() -> SeenSet.bloom(0, 0.01)).hasMessageContaining("expected count");
        assertThatThrownBy(() -> SeenSet.bloom(10, 1.0)).hasMessageContaining("between 0 and 1");
    }
}
