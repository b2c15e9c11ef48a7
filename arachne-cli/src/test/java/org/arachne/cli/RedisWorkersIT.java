package org.arachne.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.arachne.item.export.Feed;
import org.arachne.redis.RedisServer;
import org.arachne.sandbox.RequestStart;
import org.arachne.sandbox.Sandbox;
import org.arachne.sandbox.SiteManifest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Many {@code arachne worker} processes on one crawl in a private {@code redis-server} (append-only
 * file on), over the sandbox site, checked at the edges: the items {@code arachne export} writes
 * (or the workers' own files) against the manifest (count and multiset hash), the pages the server
 * served (each once, or again only for the leases out at a kill), and per-host concurrency and
 * delay as the server measured them with every worker at once. Workers are killed (SIGKILL), the
 * export is killed, Redis is restarted, the crawl is stopped and resumed.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class RedisWorkersIT {
    private static final List<String> HOSTS =
            List.of("127.0.0.171", "127.0.0.172", "127.0.0.173", "127.0.0.174");
    private static final String DELAYED = HOSTS.getFirst();
    private static final int PAGES_PER_HOST = 30;
    private static final int CONCURRENCY = 4;
    private static final int PER_HOST = 2;
    private static final Duration DELAY = Duration.ofMillis(50);

    /** How much later than it was sent a request may reach the server (see PolitenessIT). */
    private static final Duration SEND_JITTER = Duration.ofMillis(50);

    private static final Duration LIMIT = Duration.ofSeconds(90);

    @RegisterExtension static final RedisServer REDIS = RedisServer.withAppendOnly();

    private static Sandbox sandbox;

    @TempDir Path dir;

    private Path spider;
    private SiteManifest manifest;

    /**
     * The partitions the crawl is made with: 1, or 5, over which the four hosts' slots fall in
     * partitions 0, 2 and 3 (docs/redis.md, "Partitions").
     */
    private int partitions = 1;

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

    @BeforeEach
    void freshCrawl() throws IOException {
        REDIS.flushAll();
        sandbox.reset();
        manifest = sandbox.manifest();
        spider = ChildCrawls.bookSpider(dir, sandbox, "books", CONCURRENCY);
    }

    /** {@code arachne worker} on the crawl {@code books}: 2 per host together, one host delayed. */
    private Process worker(String name, String... more) throws IOException {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "worker",
                                spider.toString(),
                                "--redis",
                                REDIS.url(),
                                "-s",
                                "concurrent_requests_per_ip=" + PER_HOST,
                                "-s",
                                "download_slots={\""
                                        + DELAYED
                                        + "\": {\"delay\": \""
                                        + DELAY.toMillis()
                                        + "ms\", \"randomize_delay\": false}}",
                                "-s",
                                "lease_duration=3s"));
        if (partitions > 1) {
            args.addAll(List.of("--partitions", Integer.toString(partitions)));
        }
        args.addAll(List.of(more));
        return ChildCrawls.start(ChildCrawls.command(args.toArray(String[]::new)), err(name));
    }

    private Process export(String name, Path out, String... more) throws IOException {
        List<String> args =
                new ArrayList<>(
                        List.of("export", "--redis", REDIS.url(), "--crawl", "books", "-o"));
        args.add(out.toString());
        args.addAll(List.of(more));
        return ChildCrawls.start(ChildCrawls.command(args.toArray(String[]::new)), err(name));
    }

    private Path err(String name) {
        return dir.resolve(name + ".err");
    }

    private ChildCrawls.Ended ended(Process process, String name) throws Exception {
        ChildCrawls.Ended ended = ChildCrawls.ended(process, err(name), LIMIT);
        ChildCrawls.assertNoStackTrace(ended);
        return ended;
    }

    private void assertFinished(Process process, String name) throws Exception {
        ChildCrawls.Ended ended = ended(process, name);
        assertThat(ended.exitCode()).as(name + ": " + ended).isZero();
        assertThat(ended.stderr()).as(name).contains("is finished");
    }

    private void awaitPages(int pages, Process... alive) {
        await().atMost(LIMIT)
                .pollInterval(Duration.ofMillis(5))
                .until(
                        () ->
                                ChildCrawls.pagesFetched(sandbox).size() >= pages
                                        || java.util.Arrays.stream(alive)
                                                .noneMatch(Process::isAlive));
    }

    private void assertManifest(Path out) throws IOException {
        List<Map<String, Object>> items = OutputFiles.readItems(Feed.of(out, false));
        assertThat(items).hasSize((int) manifest.itemsTotal());
        assertThat(SiteManifest.itemsHash(items)).isEqualTo(manifest.itemsMultisetHash());
    }

    /** Pages the server served more than once (each fetch past the first counts). */
    private int pagesFetchedAgain() {
        List<String> pages = ChildCrawls.pagesFetched(sandbox);
        assertThat(new HashSet<>(pages)).hasSize(manifest.crawlablePages());
        return pages.size() - manifest.crawlablePages();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> status() throws IOException {
        Run run = Run.of("status", "--redis", REDIS.url(), "--crawl", "books", "--json");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        return new ObjectMapper().readValue(run.out(), Map.class);
    }

    private static long number(Map<String, Object> json, String field) {
        return ((Number) json.get(field)).longValue();
    }

    @ParameterizedTest(name = "{0} partition(s)")
    @ValueSource(ints = {1, 5})
    void threeWorkers_exportTheManifest_fetchEveryPageOnce_andHoldPolitenessTogether(int partitions)
            throws Exception {
        this.partitions = partitions;
        Path out = dir.resolve("books.jsonl");
        List<Process> workers = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            workers.add(worker("w" + i, "--worker", "w" + i));
        }
        Process export = export("export1", out, "--follow");
        awaitPages(manifest.crawlablePages() / 3, workers.toArray(Process[]::new));
        assertThat(export.isAlive())
                .as(
                        "the export follows the crawl: %s",
                        java.nio.file.Files.readString(err("export1")))
                .isTrue();
        ChildCrawls.signal(export, "KILL"); // resumed by the next one, nothing lost or twice
        export.waitFor();
        Process resumed = export("export2", out, "--follow");

        for (int i = 1; i <= 3; i++) {
            assertFinished(workers.get(i - 1), "w" + i);
        }
        ChildCrawls.Ended exported = ended(resumed, "export2");
        assertThat(exported.exitCode()).as(exported.toString()).isZero();
        assertThat(exported.stderr()).contains("the crawl has ended and every item is exported");

        assertManifest(out);
        assertThat(pagesFetchedAgain()).as("every page fetched once").isZero();
        for (String host : HOSTS) {
            assertThat(sandbox.log(host).maxConcurrent())
                    .as("requests at once at %s from the 3 workers together", host)
                    .isLessThanOrEqualTo(PER_HOST);
        }
        // each start is spaced from the one before at the frontier, when it is sent; a send that
        // a loaded machine makes late shortens the gap after it at the server and lengthens the
        // one before, so the span of all starts holds the delay whatever the jitter of one send
        List<Long> starts = new ArrayList<>();
        for (RequestStart start : sandbox.log(DELAYED).starts()) {
            if (!start.path().equals("/robots.txt")) {
                starts.add(start.nanos());
            }
        }
        Duration span = Duration.ofNanos(starts.getLast() - starts.getFirst());
        Duration shortest = Duration.ofDays(1);
        for (int i = 1; i < starts.size(); i++) {
            shortest = min(shortest, Duration.ofNanos(starts.get(i) - starts.get(i - 1)));
        }
        assertThat(span)
                .as(
                        "the span of the %d page starts at %s, from every worker",
                        starts.size(), DELAYED)
                .isGreaterThanOrEqualTo(
                        DELAY.multipliedBy(starts.size() - 1).minus(SEND_JITTER.multipliedBy(2)));
        Map<String, Object> status = status();
        assertThat(status.get("state")).isEqualTo("finished");
        assertThat(number(status, "item_batches_exported"))
                .isEqualTo(number(status, "item_batches"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> shown = (List<Map<String, Object>>) status.get("workers");
        assertThat(shown)
                .extracting(w -> w.get("name") + " " + w.get("state"))
                .containsExactly("w1 finished", "w2 finished", "w3 finished");
        long pages = shown.stream().mapToLong(w -> ((Number) w.get("pages")).longValue()).sum();
        System.out.printf(
                Locale.ROOT,
                "3 workers: pages %s; delayed host: %d starts over %d ms, shortest gap %d ms%n",
                shown.stream().map(w -> w.get("pages")).toList(),
                starts.size(),
                span.toMillis(),
                shortest.toMillis());
        assertThat(pages)
                .as("pages per worker (robots.txt included)")
                .isGreaterThanOrEqualTo(manifest.crawlablePages());
    }

    @ParameterizedTest(name = "{0} partition(s)")
    @ValueSource(ints = {1, 5})
    void workerKilled_anotherTakesItsLeases_andOnlyThoseAreFetchedAgain(int partitions)
            throws Exception {
        this.partitions = partitions;
        Process one = worker("w1", "--worker", "w1");
        Process two = worker("w2", "--worker", "w2");
        awaitPages(manifest.crawlablePages() / 3, one, two);
        ChildCrawls.signal(one, "KILL");
        one.waitFor();
        Process three = worker("w3", "--worker", "w3");

        assertFinished(two, "w2");
        assertFinished(three, "w3");
        Path out = dir.resolve("books.csv");
        ChildCrawls.Ended exported = ended(export("export", out), "export");
        assertThat(exported.exitCode()).as(exported.toString()).isZero();

        assertManifest(out);
        Map<String, Object> status = status();
        long expired = number(status, "leases_expired");
        int again = pagesFetchedAgain();
        System.out.printf(
                Locale.ROOT,
                "killed worker: %d leases expired, %d pages fetched again%n",
                expired,
                again);
        assertThat(expired).as("the killed worker's leases").isLessThanOrEqualTo(CONCURRENCY);
        assertThat(again)
                .as("pages fetched again: only leases out at the kill")
                .isLessThanOrEqualTo((int) expired);
    }

    @Test
    void workerWithItsOwnFile_killed_andStartedAgain_theFilesHoldTheManifest() throws Exception {
        Path a = dir.resolve("a.jsonl");
        Path b = dir.resolve("b.jsonl");
        Supplier<Process> first = () -> start("own1", "-o", a.toString());
        Process one = first.get();
        Process two = worker("own2", "-o", b.toString());
        awaitPages(manifest.crawlablePages() / 3, one, two);
        ChildCrawls.signal(one, "KILL");
        one.waitFor();
        Process again = first.get(); // the same command: the same name, its file resumed

        assertFinished(two, "own2");
        ChildCrawls.Ended resumed = ended(again, "own1");
        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();

        List<Map<String, Object>> items = new ArrayList<>(OutputFiles.readItems(Feed.of(a, false)));
        items.addAll(OutputFiles.readItems(Feed.of(b, false)));
        assertThat(items).hasSize((int) manifest.itemsTotal());
        assertThat(SiteManifest.itemsHash(items)).isEqualTo(manifest.itemsMultisetHash());
        assertThat(pagesFetchedAgain()).isLessThanOrEqualTo(CONCURRENCY);
    }

    private Process start(String name, String... args) {
        try {
            return worker(name, args);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{0} partition(s)")
    @ValueSource(ints = {1, 5})
    void redisRestartedMidCrawl_withItsAppendOnlyFile_theCrawlEndsWithTheManifest(int partitions)
            throws Exception {
        this.partitions = partitions;
        Process one = worker("w1", "--worker", "w1");
        Process two = worker("w2", "--worker", "w2");
        awaitPages(manifest.crawlablePages() / 3, one, two);
        REDIS.stop();
        REDIS.startAgain();

        assertFinished(one, "w1");
        assertFinished(two, "w2");
        Path out = dir.resolve("books.jsonl");
        ChildCrawls.Ended exported = ended(export("export", out), "export");
        assertThat(exported.exitCode()).as(exported.toString()).isZero();

        assertManifest(out);
        int again = pagesFetchedAgain();
        System.out.printf(Locale.ROOT, "redis restarted: %d pages fetched again%n", again);
        assertThat(again).isLessThanOrEqualTo(2 * CONCURRENCY);
    }

    @Test
    void stop_workersFinishWhatTheyHoldAndExit0_aLaterWorkerSaysSo_resumeFinishes()
            throws Exception {
        Process one = worker("w1", "--worker", "w1", "-s", "download_delay=30ms");
        Process two = worker("w2", "--worker", "w2", "-s", "download_delay=30ms");
        awaitPages(manifest.crawlablePages() / 4, one, two);
        Run stop = Run.of("stop", "--redis", REDIS.url(), "--crawl", "books");

        assertThat(stop.exitCode()).as(stop.toString()).isZero();
        for (String name : List.of("w1", "w2")) {
            ChildCrawls.Ended ended = ended(name.equals("w1") ? one : two, name);
            assertThat(ended.exitCode()).as(ended.toString()).isZero();
            assertThat(ended.stderr()).contains("was stopped (arachne stop); exiting");
        }
        Map<String, Object> stopped = status();
        assertThat(stopped.get("state")).isEqualTo("stopped");
        assertThat(number(stopped, "in_flight")).isZero();
        assertThat(number(stopped, "queued")).isPositive();
        int fetched = ChildCrawls.pagesFetched(sandbox).size();

        ChildCrawls.Ended refused = ended(worker("w3", "--worker", "w3"), "w3");
        assertThat(refused.exitCode()).as(refused.toString()).isZero();
        assertThat(refused.stderr()).contains("was stopped by arachne stop", "--resume");
        assertThat(ChildCrawls.pagesFetched(sandbox)).hasSize(fetched);

        assertFinished(worker("w4", "--worker", "w4", "--resume"), "w4");
        Path out = dir.resolve("books.json");
        ChildCrawls.Ended exported = ended(export("export", out), "export");
        assertThat(exported.exitCode()).as(exported.toString()).isZero();
        assertManifest(out);
        assertThat(pagesFetchedAgain())
                .as("a stop loses nothing and fetches nothing twice")
                .isZero();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
