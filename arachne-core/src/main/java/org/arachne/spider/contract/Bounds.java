package org.arachne.spider.contract;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * How many of something a contract expects: from {@code min} to {@code max}, both included. {@code
 * max} is {@link Integer#MAX_VALUE} for no upper limit.
 */
public record Bounds(int min, int max) {
    public Bounds {
        if (min < 0) {
            throw new IllegalArgumentException("min must not be negative, got " + min);
        }
        if (max < min) {
            throw new IllegalArgumentException(
                    "max (" + max + ") must not be less than min (" + min + ")");
        }
    }

    /** Exactly {@code n}. */
    public static Bounds exactly(int n) {
        return new Bounds(n, n);
    }

    /** At least {@code n}. */
    public static Bounds atLeast(int n) {
        return new Bounds(n, Integer.MAX_VALUE);
    }

    /** Whether {@code count} is inside. */
    public boolean contains(long count) {
        return count >= min && count <= max;
    }

    /**
     * Null when {@code count} is inside, else what differed: {@code expected at least 1 item, got
     * 0}; {@code noun} is the singular ({@code item}), and {@code qualifier} follows it (such as
     * {@code matching '/book-'}), empty for none.
     */
    @Nullable String difference(String noun, String qualifier, long count) {
        if (contains(count)) {
            return null;
        }
        String expected;
        if (min == max) {
            expected = min + " " + plural(noun, min);
        } else if (max == Integer.MAX_VALUE) {
            expected = "at least " + min + " " + plural(noun, min);
        } else if (min == 0) {
            expected = "at most " + max + " " + plural(noun, max);
        } else {
            expected = min + " to " + max + " " + plural(noun, max);
        }
        return String.format(
                Locale.ROOT,
                "expected %s%s, got %d",
                expected,
                qualifier.isEmpty() ? "" : " " + qualifier,
                count);
    }

    private static String plural(String noun, long n) {
        return n == 1 ? noun : noun + "s";
    }
}
