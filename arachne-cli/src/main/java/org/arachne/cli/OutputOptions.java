package org.arachne.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.arachne.item.export.Feed;
import org.arachne.item.export.FeedFormat;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** Options of the commands that crawl: output files, the stats file and the error policy. */
final class OutputOptions {
    @Option(
            names = "-o",
            paramLabel = "FILE",
            description =
                    "Append items to FILE; the format follows the extension: .jsonl, .json, .csv."
                            + " Repeatable.")
    List<Path> append = new ArrayList<>();

    @Option(
            names = "-O",
            paramLabel = "FILE",
            description = "Write items to FILE, overwriting it. Repeatable.")
    List<Path> overwrite = new ArrayList<>();

    @Option(
            names = "--stats-json",
            paramLabel = "FILE",
            description = "Write the final status and every stat counter to FILE as JSON.")
    @Nullable Path statsJson;

    @Option(
            names = "--fetched-urls",
            paramLabel = "FILE",
            description =
                    "Write the URL of every response received to FILE, one per line (robots.txt"
                            + " excluded), e.g. for ../shared/bench/check-output.py.")
    @Nullable Path fetchedUrls;

    @Option(
            names = "--fail-on-error",
            description = "Exit with 5 when the crawl finished but had errors.")
    boolean failOnError;

    /** The feeds given with {@code -o} and {@code -O}, checked; empty when none was given. */
    List<Feed> feeds() {
        List<Feed> feeds = new ArrayList<>();
        for (Path p : overwrite) {
            feeds.add(feed(p, true));
        }
        for (Path p : append) {
            feeds.add(feed(p, false));
        }
        return feeds;
    }

    /**
     * A feed whose format is known from the extension.
     *
     * @throws CliException (config) naming the file and the formats there are
     */
    static Feed feed(Path path, boolean overwrite) {
        try {
            return new Feed(path, FeedFormat.fromPath(path), overwrite);
        } catch (IllegalArgumentException e) {
            throw CliException.config(e.getMessage());
        }
    }

    /**
     * Checks, before the crawl, that every file it will write can be opened: the feeds, {@code
     * --stats-json} and {@code --fetched-urls}; and that a feed appended to can be, unless the
     * crawl has a job dir (whose run goes on in its files where the last one left them).
     *
     * @throws CliException (config) naming the first file that cannot be opened and why
     */
    void checkWritable(List<Feed> feeds, boolean jobDir) {
        for (Feed feed : feeds) {
            if (!jobDir
                    && !feed.overwrite()
                    && feed.format() == FeedFormat.JSON
                    && nonEmpty(feed.path())) {
                throw CliException.config(
                        "cannot append to the JSON array in "
                                + feed.path()
                                + "; overwrite it with -O (in a spider file: output: {path: ...,"
                                + " overwrite: true}), or append to a JSON Lines file (.jsonl)");
            }
            OutputPaths.checkWritable(feed.path(), "output");
        }
        if (statsJson != null) {
            OutputPaths.checkWritable(statsJson, "--stats-json");
        }
        if (fetchedUrls != null) {
            OutputPaths.checkWritable(fetchedUrls, "--fetched-urls");
        }
    }

    private static boolean nonEmpty(Path path) {
        try {
            return Files.isRegularFile(path) && Files.size(path) > 0;
        } catch (java.io.IOException e) {
            throw CliException.config("cannot read output " + path + ": " + e.getMessage());
        }
    }
}
