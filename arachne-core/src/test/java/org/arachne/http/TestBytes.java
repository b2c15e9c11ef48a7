package org.arachne.http;

import java.io.ByteArrayOutputStream;

/** Bytes written as text for test tables: {@code %HH} is one byte, every other char its own. */
final class TestBytes {
    private TestBytes() {}

    /**
     * The bytes this notation stands for: {@code "%EF%BB%BF<p>"} is a UTF-8 BOM and three ASCII
     * bytes; {@code %0A} is a newline, {@code %25} a percent sign.
     *
     * @throws IllegalArgumentException for a char above U+00FF, which is not one byte
     */
    static byte[] of(String notation) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < notation.length(); i++) {
            char c = notation.charAt(i);
            if (c == '%') {
                out.write(Integer.parseInt(notation.substring(i + 1, i + 3), 16));
                i += 2;
            } else if (c <= 0xFF) {
                out.write(c);
            } else {
                throw new IllegalArgumentException("not one byte: " + c + " in " + notation);
            }
        }
        return out.toByteArray();
    }
}
