package org.arachne.middleware;

import java.util.List;
import java.util.Objects;

/**
 * What a stage decided: go on with this value (the request or response, possibly changed), or end
 * the lease here with an {@link Outcome}.
 */
public sealed interface StageResult<T> {

    /**
     * Go on with this value.
     *
     * @param counters stats to count once the lease has ended, however it ends (the retry stage
     *     passing a response on when its retries are used up counts {@code retry/max_reached}); as
     *     an outcome's counters, they are not counted when the lease was lost
     */
    record Next<T>(T value, List<String> counters) implements StageResult<T> {
        public Next {
            Objects.requireNonNull(value, "value");
            counters = List.copyOf(counters);
        }
    }

    /** End the lease with this outcome; later stages and the callback do not run. */
    record End<T>(Outcome outcome) implements StageResult<T> {
        public End {
            Objects.requireNonNull(outcome, "outcome");
        }
    }

    static <T> StageResult<T> next(T value) {
        return new Next<>(value, List.of());
    }

    /** Go on with this value, and count these stats once the lease has ended. */
    static <T> StageResult<T> next(T value, List<String> counters) {
        return new Next<>(value, counters);
    }

    static <T> StageResult<T> end(Outcome outcome) {
        return new End<>(outcome);
    }
}
