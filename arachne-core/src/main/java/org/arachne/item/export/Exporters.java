package org.arachne.item.export;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Opens the exporter for a feed. */
public final class Exporters {
    private Exporters() {}

    /**
     * Opens the feed's file (creating parent folders) and returns its exporter. Appending ({@code
     * overwrite} false) to a non-empty JSON file is refused, since a JSON array cannot be extended;
     * appending to a non-empty CSV file keeps its header and columns (over the feed's fields).
     *
     * @throws IOException when the file cannot be opened or read
     * @throws IllegalArgumentException when appending to a non-empty {@code .json} file
     */
    public static Exporter open(Feed feed) throws IOException {
        Path path = feed.path();
        boolean appendToData =
                !feed.overwrite() && Files.isRegularFile(path) && Files.size(path) > 0;
        if (appendToData && feed.format() == FeedFormat.JSON) {
            throw new IllegalArgumentException(
                    "cannot append to the JSON array in "
                            + path
                            + "; overwrite it with -O, or append to a JSON Lines file (.jsonl)");
        }
        List<String> csvHeader =
                appendToData && feed.format() == FeedFormat.CSV ? csvHeader(path) : null;
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        OutputStream out = RecordFile.open(path, feed.overwrite());
        try {
            return switch (feed.format()) {
                case JSON_LINES -> selected(feed, new JsonLinesExporter(out));
                case JSON -> selected(feed, new JsonExporter(out));
                case CSV ->
                        csvHeader != null
                                ? CsvExporter.appending(out, csvHeader)
                                : new CsvExporter(
                                        out, feed.fields().isEmpty() ? null : feed.fields());
            };
        } catch (IOException | RuntimeException e) {
            out.close();
            throw e;
        }
    }

    private static Exporter selected(Feed feed, Exporter exporter) {
        return feed.fields().isEmpty() ? exporter : new SelectedFields(feed.fields(), exporter);
    }

    private static @Nullable List<String> csvHeader(Path path) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            String first = reader.readLine();
            if (first == null || first.isBlank()) {
                return null;
            }
            return CsvExporter.parseHeader(first);
        }
    }
}
