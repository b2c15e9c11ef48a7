package org.arachne.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.arachne.frontier.DeadLetter;
import org.arachne.frontier.DeadLetterStore;
import org.arachne.frontier.Frontier;
import org.arachne.frontier.Ticker;
import org.arachne.http.Request;
import org.arachne.item.Item;
import org.arachne.item.export.Exporters;
import org.arachne.item.export.Feed;
import org.arachne.item.export.FeedFile;
import org.arachne.item.export.FeedFormat;
import org.arachne.url.Urls;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dead-letter feed ({@code failed_file}; {@code failed.jsonl} in the job dir by default): every
 * request that failed for good, one JSON object per line with its {@code url}, {@code method},
 * {@code reason}, {@code attempts}, {@code status} (of the last response, null when none came) and
 * {@code failed_at}.
 *
 * <p>Over a frontier that keeps its dead letters ({@link DeadLetterStore}, the job dir's), the
 * database is the truth and the file its copy: rewritten from it when the crawl opens and when it
 * ends (a new file renamed over the old, so never torn), each failure appended in between. A kill
 * can leave the file without the failures since the last rewrite, never with a torn line or one
 * twice, and the next run's start writes them; requests queued again by {@code retry_failed} leave
 * it. Without such a frontier each failure is appended as it happens, as a whole line (the feeds'
 * record files), to what the file held.
 *
 * <p>Errors: a file that cannot be opened at the start stops the crawl before it runs; a write that
 * fails later is counted ({@code error_count/failed_file/...}) and logged, and the crawl goes on.
 * Thread-safety: {@link #failed} may be called from any thread.
 */
final class DeadLetterFeed {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterFeed.class);

    /** The file's name in a job dir when {@code failed_file} is not set. */
    static final String JOB_DIR_FILE = "failed.jsonl";

    private final @Nullable Path path;
    private final Stats stats;
    private final Ticker ticker;
    private @Nullable DeadLetterStore store;
    private @Nullable FeedFile file;

    /**
     * @param path the file, or null for none
     */
    DeadLetterFeed(@Nullable Path path, Stats stats, Ticker ticker) {
        this.path = path;
        this.stats = stats;
        this.ticker = ticker;
    }

    /** The file of a crawl's settings: {@code failed_file}, else the job dir's, else none. */
    static @Nullable Path path(Settings settings) {
        return settings.get(Setting.FAILED_FILE)
                .or(() -> settings.get(Setting.JOB_DIR).map(dir -> dir.resolve(JOB_DIR_FILE)))
                .orElse(null);
    }

    /**
     * Opens the file: rewritten from the frontier's dead letters when it keeps them, else opened
     * for appending.
     *
     * @throws IOException naming the file when it cannot be written
     */
    void open(Frontier frontier) throws IOException {
        if (path == null) {
            return;
        }
        try {
            if (frontier instanceof DeadLetterStore kept) {
                store = kept;
                rewrite(kept.deadLetters());
            }
            file = Exporters.open(new Feed(path, FeedFormat.JSON_LINES, false));
        } catch (IOException e) {
            throw new IOException(
                    "cannot open the failed requests file " + path + ": " + Exporters.reason(e), e);
        }
    }

    /** Appends the dead letter of a request the frontier has just failed for good. */
    synchronized void failed(Request request, String reason, int status) {
        if (file == null) {
            return;
        }
        try {
            file.export(line(DeadLetter.of(request, reason, status, ticker.now())));
            file.flush();
        } catch (IOException e) {
            writeFailed(request, e);
        }
    }

    /** Closes the file; over a frontier that keeps dead letters, rewrites it from them first. */
    synchronized void close() {
        if (file == null) {
            return;
        }
        try {
            file.close();
        } catch (IOException e) {
            writeFailed(null, e);
        }
        file = null;
        if (store != null) {
            try {
                rewrite(store.deadLetters());
            } catch (IOException | RuntimeException e) {
                // the next run rewrites it from the frontier; a frontier failure is counted there
                stats.countError("failed_file", e);
                LOG.error(
                        "cannot write the failed requests file {}: {}; the next run writes it",
                        path,
                        e.getMessage());
            }
        }
    }

    /** Writes the file anew from these dead letters: a new file, synced, renamed over the old. */
    private void rewrite(List<DeadLetter> letters) throws IOException {
        Path target = Objects.requireNonNull(path);
        Path partial = target.resolveSibling(target.getFileName() + ".new");
        try (FeedFile out = Exporters.open(new Feed(partial, FeedFormat.JSON_LINES, true))) {
            for (DeadLetter letter : letters) {
                out.export(line(letter));
            }
            out.sync();
        }
        Files.move(
                partial,
                target,
                StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** One line of the feed. */
    static Item line(DeadLetter letter) {
        Map<String, @Nullable Object> fields = new LinkedHashMap<>();
        fields.put("url", letter.url());
        fields.put("method", letter.request().method());
        fields.put("reason", letter.reason());
        fields.put("attempts", letter.attempts());
        fields.put("status", letter.status() == 0 ? null : letter.status());
        fields.put("failed_at", letter.failedAt().toString());
        return new Item(fields);
    }

    private void writeFailed(@Nullable Request request, IOException e) {
        stats.countError("failed_file", e);
        LOG.error(
                "cannot write {}to the failed requests file {}: {}",
                request == null ? "" : "the failure of " + Urls.redacted(request.url()) + " ",
                path,
                Exporters.reason(e));
    }
}
