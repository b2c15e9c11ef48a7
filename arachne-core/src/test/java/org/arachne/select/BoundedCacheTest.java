package org.arachne.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BoundedCacheTest {
    @Test
    void get_compilesOncePerKey() {
        BoundedCache<String> cache = new BoundedCache<>(10);
        AtomicInteger compiles = new AtomicInteger();

        for (int i = 0; i < 3; i++) {
            assertThat(cache.get("a", k -> k + compiles.incrementAndGet())).isEqualTo("a1");
        }
        assertThat(compiles).hasValue(1);
    }

    @Test
    void get_neverHoldsMoreThanMaxSize() {
        BoundedCache<String> cache = new BoundedCache<>(4);

        for (int i = 0; i < 100; i++) {
            assertThat(cache.get("k" + i, k -> k.toUpperCase(Locale.ROOT))).isEqualTo("K" + i);
        }
        assertThat(cache.size()).isEqualTo(4);
    }

    @Test
    void get_failedCompile_notCached() {
        BoundedCache<String> cache = new BoundedCache<>(4);

        assertThatThrownBy(
                        () ->
                                cache.get(
                                        "bad",
                                        k -> {
                                            throw new IllegalArgumentException(k);
                                        }))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(cache.size()).isZero();
    }
}
