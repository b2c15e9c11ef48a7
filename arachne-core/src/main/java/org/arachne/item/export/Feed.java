package org.arachne.item.export;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * One output of a crawl: a file, its format, whether an existing file is overwritten ({@code -O})
 * or appended to ({@code -o}), and which fields it holds.
 *
 * @param fields the fields written, in this order (a CSV file's columns), the others left out; an
 *     absent field is left out of a JSON record and an empty cell in CSV. Empty: every field of
 *     each item, and for CSV the columns of the first item (or of the existing header when
 *     appending). The crawl fills it from {@code feed_export_fields} or the fields the spider
 *     declares when it is empty.
 */
public record Feed(Path path, FeedFormat format, boolean overwrite, List<String> fields) {
    public Feed {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(format, "format");
        fields = List.copyOf(fields);
        if (new HashSet<>(fields).size() != fields.size()) {
            throw new IllegalArgumentException("feed " + path + " lists a field twice: " + fields);
        }
    }

    /** A feed of every field. */
    public Feed(Path path, FeedFormat format, boolean overwrite) {
        this(path, format, overwrite, List.of());
    }

    /** A feed of every field, whose format follows the file extension. */
    public static Feed of(Path path, boolean overwrite) {
        return new Feed(path, FeedFormat.fromPath(path), overwrite);
    }

    /** A copy that writes these fields, in this order. */
    public Feed withFields(List<String> names) {
        return new Feed(path, format, overwrite, names);
    }
}
