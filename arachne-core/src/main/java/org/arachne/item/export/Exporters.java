package org.arachne.item.export;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
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
     * appending to a non-empty CSV file keeps its header and columns.
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
                case JSON_LINES -> new JsonLinesExporter(out);
                case JSON -> new JsonExporter(out);
                case CSV -> new CsvExporter(out, csvHeader);
            };
        } catch (IOException | RuntimeException e) {
            out.close();
            throw e;
        }
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
