package org.arachne.middleware;

import java.util.Objects;

/**
 * What a stage decided: go on with this value (the request or response, possibly changed), or end
 * the lease here with an {@link Outcome}.
 */
public sealed interface StageResult<T> {

    /** Go on with this value. */
    record Next<T>(T value) implements StageResult<T> {
        public Next {
            Objects.requireNonNull(value, "value");
        }
    }

    /** End the lease with this outcome; later stages and the callback do not run. */
    record End<T>(Outcome outcome) implements StageResult<T> {
        public End {
            Objects.requireNonNull(outcome, "outcome");
        }
    }

    static <T> StageResult<T> next(T value) {
        return new Next<>(value);
    }

    static <T> StageResult<T> end(Outcome outcome) {
        return new End<>(outcome);
    }
}
