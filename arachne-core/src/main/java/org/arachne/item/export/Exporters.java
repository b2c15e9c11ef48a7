package org.arachne.item.export;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
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
    public static FeedFile open(Feed feed) throws IOException {
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
        RecordFile out = RecordFile.open(path, feed.overwrite());
        try {
            return new FeedFile(feed, out, exporter(feed, out, csvHeader, -1), csvHeader);
        } catch (IOException | RuntimeException e) {
            out.close();
            throw e;
        }
    }

    /**
     * Opens the feed's file to go on where an earlier run of the same job acknowledged it: cut back
     * to {@code position} bytes, whatever {@code overwrite} says, with a JSON array reopened and a
     * CSV file's header kept.
     *
     * @throws IOException when the file cannot be opened, is missing, or holds fewer bytes than
     *     {@code position} (it was changed outside the crawl)
     */
    public static FeedFile resume(Feed feed, long position) throws IOException {
        Path path = feed.path();
        List<String> csvHeader =
                feed.format() == FeedFormat.CSV && position > 0 ? csvHeader(path) : null;
        RecordFile out = RecordFile.resume(path, position);
        try {
            return new FeedFile(feed, out, exporter(feed, out, csvHeader, position), csvHeader);
        } catch (IOException | RuntimeException e) {
            out.close();
            throw e;
        }
    }

    /**
     * The exporter of a feed's format over its file.
     *
     * @param csvHeader the header of the CSV file gone on with, or null
     * @param resumedAt the position a resumed file was cut back to, or -1 for a file opened anew
     */
    private static Exporter exporter(
            Feed feed, RecordFile out, @Nullable List<String> csvHeader, long resumedAt)
            throws IOException {
        return switch (feed.format()) {
            case JSON_LINES -> selected(feed, new JsonLinesExporter(out));
            case JSON ->
                    selected(
                            feed,
                            resumedAt < 0
                                    ? new JsonExporter(out)
                                    : JsonExporter.continuing(out, resumedAt));
            case CSV ->
                    csvHeader != null
                            ? CsvExporter.appending(out, csvHeader)
                            : new CsvExporter(out, feed.fields().isEmpty() ? null : feed.fields());
        };
    }

    private static Exporter selected(Feed feed, Exporter exporter) {
        return feed.fields().isEmpty() ? exporter : new SelectedFields(feed.fields(), exporter);
    }

    /**
     * The path and the operating system's reason of a file error, in one line as {@code ls} says
     * it: {@code /data: Permission denied}, {@code /tmp/a/b: Not a directory}. The JDK's {@link
     * FileSystemException}s carry the reason only in their type when the OS gave no text ({@code
     * AccessDeniedException}'s message is the bare path); other errors give their message.
     */
    public static String reason(IOException e) {
        if (!(e instanceof FileSystemException f) || f.getFile() == null) {
            return String.valueOf(e.getMessage());
        }
        String reason = f.getReason();
        if (reason == null) {
            reason =
                    switch (f) {
                        case AccessDeniedException denied -> "Permission denied";
                        case NoSuchFileException missing -> "No such file or directory";
                        case NotDirectoryException notDirectory -> "Not a directory";
                        // createDirectories met a file where a folder should be
                        case FileAlreadyExistsException exists ->
                                Files.isDirectory(Path.of(f.getFile()))
                                        ? "File exists"
                                        : "Not a directory";
                        default -> f.getClass().getSimpleName();
                    };
        }
        return f.getFile() + ": " + reason;
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
