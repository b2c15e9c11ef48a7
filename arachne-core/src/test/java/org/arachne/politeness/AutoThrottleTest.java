package org.arachne.politeness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Scrapy's AutoThrottle rules, as a function of a slot's delay and one response. */
class AutoThrottleTest {
    private final AutoThrottle throttle =
            new AutoThrottle(
                    Duration.ofSeconds(5),
                    Duration.ofMillis(100),
                    Duration.ofSeconds(10),
                    2.0,
                    false);

    private long delay = -1; // the slot's delay, as a frontier would store it

    private Duration observe(Duration latency, int status) {
        delay = throttle.next("a.test", delay, latency, status);
        return Duration.ofNanos(delay);
    }

    @Test
    void startsAtTheStartDelay() {
        assertThat(Duration.ofNanos(throttle.startNanos())).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void movesHalfwayTowardsLatencyOverTargetConcurrency() {
        assertThat(observe(Duration.ofMillis(400), 200)).isEqualTo(Duration.ofMillis(2600));
        for (int i = 0; i < 30; i++) {
            observe(Duration.ofMillis(400), 200);
        }
        assertThat(Duration.ofNanos(delay).toMillis()).isBetween(200L, 201L);
    }

    @Test
    void risesAtOnceToASlowerTarget_andStaysWithinItsBounds() {
        assertThat(observe(Duration.ofSeconds(14), 200)).isEqualTo(Duration.ofSeconds(7));
        assertThat(observe(Duration.ofSeconds(60), 200)).isEqualTo(Duration.ofSeconds(10));
        for (int i = 0; i < 40; i++) {
            observe(Duration.ZERO, 200);
        }
        assertThat(Duration.ofNanos(delay))
                .as("never below download_delay")
                .isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void nonOkResponses_neverLowerTheDelay() {
        assertThat(observe(Duration.ofMillis(10), 503)).isEqualTo(Duration.ofSeconds(5));
        assertThat(observe(Duration.ofSeconds(16), 500))
                .as("but may raise it")
                .isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void targetConcurrency_mustBePositive() {
        assertThatThrownBy(
                        () ->
                                new AutoThrottle(
                                        Duration.ZERO,
                                        Duration.ZERO,
                                        Duration.ofSeconds(1),
                                        0,
                                        false))
                .hasMessageContaining("autothrottle_target_concurrency");
    }
}
