package org.arachne.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ControlCharsTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                // text (Java escapes, unescaped by the test) | logged as
                "plain text | plain text",
                "\\u001b[2J\\u001b[31mred | \\\\u001b[2J\\\\u001b[31mred",
                "line\\r\\nForged: log line | line\\\\r\\\\nForged: log line",
                "tab\\there | tab\\\\there",
                "bell\\u0007 nul\\u0000 del\\u007f | bell\\\\u0007 nul\\\\u0000 del\\\\u007f",
                "c1\\u009b31m | c1\\\\u009b31m",
                "\\u202eevil\\u202c \\u2066x\\u2069 | \\\\u202eevil\\\\u202c \\\\u2066x\\\\u2069",
                "sep\\u2028next | sep\\\\u2028next",
                "caf\\u00e9 \\u4e2d\\u6587 \\ud83d\\ude00 | caf\\u00e9 \\u4e2d\\u6587 \\ud83d\\ude00",
            })
    void escape_controlCharactersOnly(String text, String logged) {
        assertThat(ControlChars.escape(unescape(text))).isEqualTo(unescape(logged));
    }

    @Test
    void escape_nothingToEscape_sameString() {
        String text = "GET http://example.com/ 200";

        assertThat(ControlChars.escape(text)).isSameAs(text);
    }

    /**
     * Reads {@code \}{@code uXXXX}, {@code \r}, {@code \n}, {@code \t} and {@code \\} in a table
     * cell.
     */
    private static String unescape(String cell) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < cell.length(); i++) {
            char c = cell.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char next = cell.charAt(++i);
            switch (next) {
                case 'u' -> {
                    out.append((char) Integer.parseInt(cell.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                case 'r' -> out.append('\r');
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                default -> out.append(next);
            }
        }
        return out.toString();
    }
}
