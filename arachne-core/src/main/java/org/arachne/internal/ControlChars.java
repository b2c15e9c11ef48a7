package org.arachne.internal;

/**
 * Makes text from the network safe to log (#9): a hostile server can put terminal escape sequences,
 * carriage returns or bidirectional overrides into an error message (a bad chunk header, a status
 * line, a {@code Location}), which would rewrite the terminal or forge log lines. Each such
 * character becomes a visible escape: {@code \n}, {@code \r}, {@code \t}, and {@code \}{@code
 * uXXXX} for the others.
 */
public final class ControlChars {
    private ControlChars() {}

    /**
     * {@code text} with every control character (C0, DEL, C1), line and paragraph separator and
     * bidirectional formatting character escaped; the same string when it has none.
     */
    public static String escape(String text) {
        int first = 0;
        while (first < text.length() && !needsEscape(text.charAt(first))) {
            first++;
        }
        if (first == text.length()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!needsEscape(c)) {
                out.append(c);
                continue;
            }
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    out.append("\\u");
                    String hex = Integer.toHexString(c);
                    out.append("0".repeat(4 - hex.length())).append(hex);
                }
            }
        }
        return out.toString();
    }

    private static boolean needsEscape(char c) {
        return c < 0x20
                || c >= 0x7f && c <= 0x9f
                || c == '\u2028'
                || c == '\u2029'
                // bidirectional marks, embeddings, overrides and isolates
                || c == '\u200e'
                || c == '\u200f'
                || c >= '\u202a' && c <= '\u202e'
                || c >= '\u2066' && c <= '\u2069';
    }
}
