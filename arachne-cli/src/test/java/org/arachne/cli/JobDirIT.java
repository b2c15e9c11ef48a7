package org.arachne.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.arachne.item.export.Feed;
import org.arachne.sandbox.Sandbox;
import org.arachne.sandbox.SiteManifest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A job dir survives any stop: real {@code arachne crawl} processes over the sandbox site, killed
 * ({@code SIGKILL}) or stopped ({@code SIGINT}) at points spread over the crawl and started again
 * with the same command, end with an output that equals the site's manifest (count and multiset
 * hash: nothing lost, nothing twice), and no page is fetched again except those in flight at a
 * stop, at most {@code concurrent_requests} per stop, as the server's request log shows.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class JobDirIT {
    private static final List<String> HOSTS =
            List.of("127.0.0.91", "127.0.0.92", "127.0.0.93", "127.0.0.94");
    private static final int PAGES_PER_HOST = 150;
    private static final int CONCURRENCY = 8;
    private static Sandbox sandbox;

    @TempDir Path dir;

    @BeforeAll
    static void startSandbox() throws IOException {
        Sandbox.Builder builder = Sandbox.builder().hosts(HOSTS).pagesPerHost(PAGES_PER_HOST);
        for (String host : HOSTS) {
            builder.latency(host, Duration.ofMillis(15));
        }
        sandbox = builder.build().start();
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    private static List<String> pagesFetched() {
        return ChildCrawls.pagesFetched(sandbox);
    }

    private Process crawl(Path spider, Path out, Path job, Path err) throws IOException {
        return new ProcessBuilder(
                        ChildCrawls.command(
                                "crawl",
                                spider.toString(),
                                "-o",
                                out.toString(),
                                "--job-dir",
                                job.toString()))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.appendTo(err.toFile()))
                .start();
    }

    /**
     * Crawls with one job dir, stopping the crawl by the given signals, one per run, each once the
     * server has seen its share of the pages; then lets a last run finish.
     */
    private void crawlStoppedBy(List<String> signals, Path out) throws Exception {
        sandbox.reset();
        SiteManifest manifest = sandbox.manifest();
        Path spider = ChildCrawls.bookSpider(dir, sandbox, "books", CONCURRENCY);
        Path job = dir.resolve("job");
        Path err = dir.resolve("err.txt");
        int pages = manifest.crawlablePages();
        List<Set<String>> fetchedByRun = new ArrayList<>();
        for (int run = 0; run <= signals.size(); run++) {
            int seenBefore = pagesFetched().size();
            Process process = crawl(spider, out, job, err);
            try {
                if (run < signals.size()) {
                    int stopAt = pages * (run + 1) / (signals.size() + 1);
                    await().atMost(Duration.ofSeconds(60))
                            .pollInterval(Duration.ofMillis(5))
                            .until(() -> pagesFetched().size() >= stopAt || !process.isAlive());
                    if (process.isAlive()) {
                        ChildCrawls.signal(process, signals.get(run));
                    }
                }
                assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
            } finally {
                process.destroyForcibly();
            }
            if (run == signals.size()) {
                assertThat(process.exitValue())
                        .as(Files.readString(err, StandardCharsets.UTF_8))
                        .isZero();
            }
            List<String> all = pagesFetched();
            fetchedByRun.add(new HashSet<>(all.subList(seenBefore, all.size())));
        }
        int refetched = 0;
        for (int run = 0; run < signals.size(); run++) {
            Set<String> later = new HashSet<>();
            fetchedByRun.subList(run + 1, fetchedByRun.size()).forEach(later::addAll);
            later.retainAll(fetchedByRun.get(run));
            // a page fetched again later was in flight when this run stopped
            assertThat(later.size())
                    .as("pages of run %d (stopped by SIG%s) fetched again", run, signals.get(run))
                    .isLessThanOrEqualTo(signals.get(run).equals("INT") ? 0 : CONCURRENCY);
            refetched += later.size();
        }
        System.out.printf(
                Locale.ROOT,
                "job dir: %d stops, %d page fetches, %d pages fetched again%n",
                signals.size(),
                pagesFetched().size(),
                refetched);

        Set<String> distinct = new HashSet<>(pagesFetched());
        assertThat(distinct).hasSize(pages);
        assertThat(pagesFetched())
                .as("nothing fetched twice in one run")
                .hasSize(pages + refetched);
        List<Map<String, Object>> items = OutputFiles.readItems(Feed.of(out, false));
        assertThat(items).hasSize((int) manifest.itemsTotal());
        assertThat(SiteManifest.itemsHash(items)).isEqualTo(manifest.itemsMultisetHash());
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(stderr).contains("resuming");
    }

    @Test
    void killedTwentyTimes_theJsonLinesOutputHoldsEveryItemOnce() throws Exception {
        crawlStoppedBy(Collections.nCopies(20, "KILL"), dir.resolve("books.jsonl"));
    }

    @ParameterizedTest
    @CsvSource({"books.json", "books.csv", "books.jsonl"})
    void stoppedByCtrlCAndKilled_inTurn_theOutputHoldsEveryItemOnce(String name) throws Exception {
        crawlStoppedBy(
                List.of("INT", "KILL", "KILL", "INT", "INT", "KILL", "INT", "KILL"),
                dir.resolve(name));
    }
}
