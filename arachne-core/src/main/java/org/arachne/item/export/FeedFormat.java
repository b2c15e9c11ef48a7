package org.arachne.item.export;

import java.nio.file.Path;
import java.util.Locale;

/** The output formats of a feed, chosen from the file extension. */
public enum FeedFormat {
    /** One JSON object per line ({@code .jsonl}, {@code .jl}, {@code .ndjson}). */
    JSON_LINES,
    /** One JSON array of objects ({@code .json}). */
    JSON,
    /** Comma-separated values with a header row ({@code .csv}). */
    CSV;

    /**
     * The format for a file name's extension.
     *
     * @throws IllegalArgumentException for an extension with no format, naming the path
     */
    public static FeedFormat fromPath(Path path) {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".jsonl") || name.endsWith(".jl") || name.endsWith(".ndjson")) {
            return JSON_LINES;
        }
        if (name.endsWith(".json")) {
            return JSON;
        }
        if (name.endsWith(".csv")) {
            return CSV;
        }
        throw new IllegalArgumentException(
                "cannot tell the output format of '"
                        + path
                        + "' from its extension; use .jsonl, .json or .csv");
    }
}
