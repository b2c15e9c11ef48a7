package org.arachne.url;

/**
 * A set of ASCII characters as two 64-bit masks, for the per-character tests of URL scanning and
 * percent-encoding (a {@code String.indexOf} per character was the cost of the old scan).
 */
record AsciiSet(long low, long high) {
    /** ASCII letters and digits. */
    static final AsciiSet ALPHANUMERIC =
            range('a', 'z').union(range('A', 'Z')).union(range('0', '9'));

    /** RFC 3986 unreserved: letters, digits and {@code -._~}. */
    static final AsciiSet UNRESERVED = ALPHANUMERIC.with("-._~");

    /** RFC 3986 sub-delims. */
    static final AsciiSet SUB_DELIMS = of("!$&'()*+,;=");

    static AsciiSet of(String chars) {
        long low = 0;
        long high = 0;
        for (int i = 0; i < chars.length(); i++) {
            char c = chars.charAt(i);
            if (c >= 128) {
                throw new IllegalArgumentException("not ASCII: " + c);
            }
            if (c < 64) {
                low |= 1L << c;
            } else {
                high |= 1L << (c - 64);
            }
        }
        return new AsciiSet(low, high);
    }

    static AsciiSet range(char from, char to) {
        StringBuilder chars = new StringBuilder();
        for (char c = from; c <= to; c++) {
            chars.append(c);
        }
        return of(chars.toString());
    }

    AsciiSet union(AsciiSet other) {
        return new AsciiSet(low | other.low, high | other.high);
    }

    AsciiSet with(String chars) {
        return union(of(chars));
    }

    AsciiSet without(String chars) {
        AsciiSet removed = of(chars);
        return new AsciiSet(low & ~removed.low, high & ~removed.high);
    }

    boolean contains(int c) {
        if (c < 64) {
            return c >= 0 && (low & (1L << c)) != 0;
        }
        return c < 128 && (high & (1L << (c - 64))) != 0;
    }
}
