package org.arachne.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.arachne.engine.CrawlResult;
import org.arachne.engine.StatKeys;
import org.arachne.http.DownloadException;
import org.jspecify.annotations.Nullable;

/** The end-of-crawl report printed on stderr: how it ended, what it did, where the output is. */
final class Summary {
    private Summary() {}

    /**
     * The report, one fact per line; for a run that resumed a job dir, which run it was and what
     * this run did besides the totals; for a recrawl, how many pages were due and how many had
     * changed; for requests failed because the spider lacks their callback, which callbacks.
     *
     * @param failedFile where the requests that failed for good are listed, or null
     * @param spider where the spider came from, for messages: its file, or its class
     */
    static String of(
            CrawlResult result, List<Path> outputs, @Nullable Path failedFile, String spider) {
        return of(result, outputs, failedFile, spider, NO_OUTPUT);
    }

    /** What the output line says of a crawl without files. */
    static final String NO_OUTPUT = "none (give -o FILE or -O FILE to keep the items)";

    /**
     * As {@link #of(CrawlResult, List, Path, String)}, saying {@code noOutput} on the output line
     * when there is no file (a Redis worker's items go to the crawl's stream).
     */
    static String of(
            CrawlResult result,
            List<Path> outputs,
            @Nullable Path failedFile,
            String spider,
            String noOutput) {
        boolean resumed = result.run() > 1;
        Map<String, Long> stats = result.stats();
        StringBuilder sb = new StringBuilder();
        sb.append(
                String.format(
                        Locale.ROOT,
                        "crawl %s (%s) after %s\n",
                        result.status().name().toLowerCase(Locale.ROOT),
                        result.reason(),
                        clock(result.elapsed())));
        line(
                sb,
                "pages",
                resumed
                        ? String.format(
                                Locale.ROOT,
                                "%d (%d in this run, %.1f/s)",
                                result.pages(),
                                result.pagesThisRun(),
                                result.pagesPerSecond())
                        : String.format(
                                Locale.ROOT,
                                "%d (%.1f/s)",
                                result.pages(),
                                result.pagesPerSecond()));
        line(
                sb,
                "items",
                resumed
                        ? result.items() + " (" + result.itemsThisRun() + " in this run)"
                        : String.valueOf(result.items()));
        line(sb, "errors", errors(result));
        long failed =
                stats.getOrDefault(
                        StatKeys.FRONTIER_DEAD_LETTERS,
                        stats.getOrDefault(StatKeys.DEAD_LETTER_COUNT, 0L));
        if (failed > 0 || failedFile != null) {
            line(
                    sb,
                    "failed for good",
                    failed + (failedFile == null ? "" : " (" + failedFile + ")"));
        }
        String missing = missingCallbacks(result, spider);
        if (missing != null) {
            line(sb, "missing callbacks", missing);
        }
        if (stats.containsKey(StatKeys.FRONTIER_RUN)) {
            line(
                    sb,
                    "job",
                    "run "
                            + result.run()
                            + " of this job"
                            + (resumed ? "; the counts cover all its runs" : ""));
        }
        String recrawl = recrawl(result);
        if (recrawl != null) {
            line(sb, "recrawl", recrawl);
        }
        line(sb, "retries", String.valueOf(stats.getOrDefault("retry/count", 0L)));
        line(
                sb,
                "robots.txt forbidden",
                String.valueOf(stats.getOrDefault("robotstxt/forbidden", 0L)));
        line(sb, "offsite filtered", String.valueOf(stats.getOrDefault("offsite/filtered", 0L)));
        line(
                sb,
                "duplicates filtered",
                String.valueOf(stats.getOrDefault("dupefilter/filtered", 0L)));
        if (outputs.isEmpty()) {
            line(sb, "output", noOutput);
        } else {
            for (Path p : outputs) {
                line(sb, "output", p.toString());
            }
        }
        return sb.toString();
    }

    /**
     * This run's recrawl, null when it made none: {@code 1200 pages due, 1150 not modified (304),
     * 40 unchanged, 10 changed}; a recrawl resumed from an earlier run says so instead of its due
     * pages.
     */
    private static @Nullable String recrawl(CrawlResult result) {
        long due = result.thisRun(StatKeys.RECRAWL_QUEUED);
        long notModified = result.thisRun(StatKeys.RECRAWL_NOT_MODIFIED);
        long unchanged = result.thisRun(StatKeys.RECRAWL_UNCHANGED);
        long changed = result.thisRun(StatKeys.RECRAWL_CHANGED);
        if (due + notModified + unchanged + changed == 0) {
            return null;
        }
        return String.format(
                Locale.ROOT,
                "%s%d not modified (304), %d unchanged, %d changed",
                due > 0 ? due + " pages due, " : "queued by an earlier run: ",
                notModified,
                unchanged,
                changed);
    }

    /**
     * The callbacks this run's requests named and the spider lacks, null when none: {@code book (34
     * requests), extra (1 request): not in books.yaml; ...}.
     */
    private static @Nullable String missingCallbacks(CrawlResult result, String spider) {
        StringJoiner names = new StringJoiner(", ");
        for (String key : new TreeMap<>(result.stats()).keySet()) {
            long n = result.thisRun(key);
            if (key.startsWith(StatKeys.CALLBACK_MISSING) && n > 0) {
                String name = key.substring(StatKeys.CALLBACK_MISSING.length());
                names.add(name + " (" + n + (n == 1 ? " request)" : " requests)"));
            }
        }
        if (names.length() == 0) {
            return null;
        }
        return names
                + ": not in "
                + spider
                + "; failed for good without being fetched"
                + (result.stats().containsKey(StatKeys.FRONTIER_RUN)
                        ? " (put them back and run again with --retry-failed)"
                        : "");
    }

    private static String errors(CrawlResult result) {
        if (result.errors() == 0) {
            return "0";
        }
        return result.errors() + " (" + errorsByKind(result) + ")";
    }

    /**
     * Why a crawl got no page: {@code every request failed (errors: robotstxt/gave_up 1,
     * robotstxt/unavailable 1; failed downloads: connect 3)}.
     */
    static String whyNoPage(CrawlResult result) {
        StringJoiner downloads = new StringJoiner(", ");
        for (DownloadException.Kind kind : DownloadException.Kind.values()) {
            long n = result.stats().getOrDefault(StatKeys.exceptionType(kind.statName()), 0L);
            if (n > 0) {
                downloads.add(kind.statName() + " " + n);
            }
        }
        return "every request failed (errors: "
                + errorsByKind(result)
                + (downloads.length() == 0 ? "" : "; failed downloads: " + downloads)
                + ")";
    }

    /** The errors by kind: {@code robotstxt/gave_up 1, download/connect 2}. */
    static String errorsByKind(CrawlResult result) {
        StringJoiner kinds = new StringJoiner(", ");
        result.errorsByKind().forEach((kind, n) -> kinds.add(kind + " " + n));
        return kinds.toString();
    }

    private static void line(StringBuilder sb, String name, String value) {
        sb.append(String.format(Locale.ROOT, "  %-21s %s\n", name, value));
    }

    /** {@code m:ss.s} or {@code h:mm:ss}. */
    static String clock(Duration d) {
        long s = d.toSeconds();
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d:%04.1f", s / 60, (d.toMillis() % 60_000) / 1000.0);
    }
}
