package org.arachne.politeness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Scrapy's AutoThrottle rules, one slot at a time. */
class AutoThrottleTest {
    private final AutoThrottle throttle =
            new AutoThrottle(
                    Duration.ofSeconds(5),
                    Duration.ofMillis(100),
                    Duration.ofSeconds(10),
                    2.0,
                    false);

    @Test
    void startsAtTheStartDelay() {
        assertThat(throttle.delay("a.test")).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void movesHalfwayTowardsLatencyOverTargetConcurrency() {
        throttle.observe("a.test", Duration.ofMillis(400), 200); // target 200 ms
        assertThat(throttle.delay("a.test")).isEqualTo(Duration.ofMillis(2600));
        for (int i = 0; i < 30; i++) {
            throttle.observe("a.test", Duration.ofMillis(400), 200);
        }
        assertThat(throttle.delay("a.test").toMillis()).isBetween(200L, 201L);
        assertThat(throttle.delay("b.test")).as("slots are apart").isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void risesAtOnceToASlowerTarget_andStaysWithinItsBounds() {
        throttle.observe("a.test", Duration.ofSeconds(14), 200); // target 7 s > halfway
        assertThat(throttle.delay("a.test")).isEqualTo(Duration.ofSeconds(7));
        throttle.observe("a.test", Duration.ofSeconds(60), 200);
        assertThat(throttle.delay("a.test")).isEqualTo(Duration.ofSeconds(10));
        for (int i = 0; i < 40; i++) {
            throttle.observe("a.test", Duration.ZERO, 200);
        }
        assertThat(throttle.delay("a.test"))
                .as("never below download_delay")
                .isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void nonOkResponses_neverLowerTheDelay() {
        throttle.observe("a.test", Duration.ofMillis(10), 503);
        assertThat(throttle.delay("a.test")).isEqualTo(Duration.ofSeconds(5));
        throttle.observe("a.test", Duration.ofSeconds(16), 500);
        assertThat(throttle.delay("a.test"))
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
