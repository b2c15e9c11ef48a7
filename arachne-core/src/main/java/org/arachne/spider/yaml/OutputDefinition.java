package org.arachne.spider.yaml;

import java.nio.file.Path;
import java.util.Objects;
import org.arachne.item.export.FeedFormat;

/**
 * Where a spider file says its items go ({@code output:}) when the command line names no output: a
 * file whose extension picks the format ({@code .jsonl}, {@code .json}, {@code .csv}), relative to
 * the working directory, appended to or overwritten as {@code overwrite} says. Immutable.
 *
 * @param overwrite true: each run replaces the file (as {@code -O}); false: each run adds its items
 *     after those already there (as {@code -o})
 */
public record OutputDefinition(String path, boolean overwrite) {
    /**
     * @throws IllegalArgumentException when the extension names no format
     */
    public OutputDefinition {
        Objects.requireNonNull(path, "path");
        FeedFormat.fromPath(Path.of(path));
    }
}
