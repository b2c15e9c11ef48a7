package org.arachne.internal;

import java.util.Collection;
import org.jspecify.annotations.Nullable;

/** "Did you mean" for misspelt keys: the closest known word by edit distance, if close enough. */
public final class Suggestions {
    private Suggestions() {}

    /**
     * {@code "; did you mean 'x'?"} for the closest of {@code known}; when nothing is close, {@code
     * "; expected one of a, b, c"} for up to ten known words, else nothing.
     */
    public static String hint(String word, Collection<String> known) {
        String best = closest(word, known);
        if (best != null) {
            return "; did you mean '" + best + "'?";
        }
        return known.size() <= 10 ? "; expected one of " + String.join(", ", known) : "";
    }

    /** The known word closest to {@code word}, or null when none is within a few edits. */
    public static @Nullable String closest(String word, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int d = distance(word, candidate);
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return bestDistance <= Math.max(2, word.length() / 4) ? best : null;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
