package org.arachne.item.export;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One output of a crawl: a file, its format, and whether an existing file is overwritten ({@code
 * -O}) or appended to ({@code -o}).
 */
public record Feed(Path path, FeedFormat format, boolean overwrite) {
    public Feed {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(format, "format");
    }

    /** A feed whose format follows the file extension. */
    public static Feed of(Path path, boolean overwrite) {
        return new Feed(path, FeedFormat.fromPath(path), overwrite);
    }
}
