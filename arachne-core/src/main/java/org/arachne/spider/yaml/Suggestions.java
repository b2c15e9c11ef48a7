package org.arachne.spider.yaml;

import java.util.Collection;

/** "Did you mean" for misspelt keys: the closest known word by edit distance, if close enough. */
final class Suggestions {
    private Suggestions() {}

    /**
     * {@code "; did you mean 'x'?"} for the closest of {@code known}; when nothing is close, {@code
     * "; expected one of a, b, c"} for up to ten known words, else nothing.
     */
    static String hint(String word, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int d = distance(word, candidate);
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        if (best != null && bestDistance <= Math.max(2, word.length() / 4)) {
            return "; did you mean '" + best + "'?";
        }
        return known.size() <= 10 ? "; expected one of " + String.join(", ", known) : "";
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
