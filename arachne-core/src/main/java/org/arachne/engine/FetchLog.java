package org.arachne.engine;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.arachne.item.export.Exporters;
import org.arachne.url.Urls;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the URL of every response the crawl received, one per line, so a crawl can be checked
 * against a site's list of pages (robots.txt fetches are not included). Write failures are counted
 * and logged; the crawl goes on.
 */
final class FetchLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FetchLog.class);

    private final @Nullable Path file;
    private final Stats stats;
    private @Nullable BufferedWriter writer;

    FetchLog(@Nullable Path file, Stats stats) {
        this.file = file;
        this.stats = stats;
    }

    /**
     * Creates (or truncates) the file.
     *
     * @throws IOException naming the file when it cannot be created
     */
    void open() throws IOException {
        if (file == null) {
            return;
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException(
                    "cannot open fetched-URL log " + file + ": " + Exporters.reason(e), e);
        }
    }

    synchronized void fetched(String url) {
        if (writer == null) {
            return;
        }
        try {
            writer.write(Urls.redacted(url));
            writer.write('\n');
        } catch (IOException e) {
            failed("write", e);
        }
    }

    @Override
    public synchronized void close() {
        if (writer == null) {
            return;
        }
        try {
            writer.close();
        } catch (IOException e) {
            failed("close", e);
        }
        writer = null;
    }

    private void failed(String what, IOException e) {
        stats.countError("export", e);
        LOG.error("cannot {} fetched-URL log {}: {}", what, file, e.toString());
    }
}
