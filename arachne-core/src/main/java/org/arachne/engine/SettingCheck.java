package org.arachne.engine;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * The rule a setting's parsed value must meet beyond its type, and the words that say it ({@code at
 * least 1}); messages append them to the type's {@link SettingType#expected()}.
 */
record SettingCheck<T>(Predicate<T> test, String text) {
    static SettingCheck<Integer> atLeast(int min) {
        return new SettingCheck<>(v -> v >= min, min == 0 ? "0 or more" : "at least " + min);
    }

    static SettingCheck<Double> above(double min) {
        return new SettingCheck<>(v -> v > min, "above " + trim(min));
    }

    static SettingCheck<Double> between(double low, double high) {
        return new SettingCheck<>(
                v -> v > low && v < high, "above " + trim(low) + " and below " + trim(high));
    }

    static SettingCheck<Duration> notNegativeDuration() {
        return new SettingCheck<>(d -> !d.isNegative(), "0 or more");
    }

    static SettingCheck<Duration> positiveDuration() {
        return new SettingCheck<>(d -> d.isPositive(), "above 0");
    }

    static SettingCheck<Long> notNegativeSize() {
        return new SettingCheck<>(n -> n >= 0, "0 or more");
    }

    static SettingCheck<Long> positiveSize() {
        return new SettingCheck<>(n -> n > 0, "above 0");
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
