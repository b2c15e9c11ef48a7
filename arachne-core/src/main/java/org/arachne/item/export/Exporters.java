package org.arachne.item.export;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Opens the exporter for a feed. */
public final class Exporters {
    private Exporters() {}

    /**
     * Opens the feed's file (creating parent folders) and returns its exporter.
     *
     * @throws IOException when the file cannot be opened
     */
    public static Exporter open(Feed feed) throws IOException {
        Path parent = feed.path().toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        OpenOption mode =
                feed.overwrite() ? StandardOpenOption.TRUNCATE_EXISTING : StandardOpenOption.APPEND;
        OutputStream out =
                new BufferedOutputStream(
                        Files.newOutputStream(
                                feed.path(),
                                StandardOpenOption.CREATE,
                                StandardOpenOption.WRITE,
                                mode),
                        1 << 16);
        return switch (feed.format()) {
            case JSON_LINES -> new JsonLinesExporter(out);
            case JSON, CSV ->
                    throw new UnsupportedOperationException(
                            "format " + feed.format() + " comes next");
        };
    }
}
