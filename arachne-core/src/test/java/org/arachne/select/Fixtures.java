package org.arachne.select;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Loads the HTML fixtures under {@code src/test/resources/select/}. */
final class Fixtures {
    private Fixtures() {}

    static Page page(String name, String baseUrl) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/select/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return Page.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), baseUrl);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
