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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.arachne.item.export.Feed;
import org.arachne.redis.RedisCluster;
import org.arachne.sandbox.Sandbox;
import org.arachne.sandbox.SiteManifest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code arachne worker}, {@code status}, {@code export} and {@code stop} on a Redis Cluster of
 * three nodes (#11), given the cluster's nodes ({@code redis://h1:p1,h2:p2,h3:p3}) or one node that
 * does not hold the crawl's keys (so a command that took it for one server would be answered
 * MOVED): two worker processes crawl the sandbox together, the export holds exactly the manifest's
 * items, every page is fetched once, and a stop makes a running worker exit 0. A password (from the
 * environment or the URL) reaches every node and is never shown; a wrong one is refused.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class RedisClusterCommandsIT {
    private static final List<String> HOSTS = List.of("127.0.0.185", "127.0.0.186");
    private static final Duration LIMIT = Duration.ofSeconds(90);

    @RegisterExtension static final RedisCluster CLUSTER = new RedisCluster();

    private static Sandbox sandbox;

    @TempDir Path dir;

    private Path spider;
    private SiteManifest manifest;

    /** One node that does not hold the crawl's keys: it is found to be a cluster's. */
    private String oneNode;

    @BeforeAll
    static void startSandbox() throws IOException {
        Sandbox.Builder builder = Sandbox.builder().hosts(HOSTS).pagesPerHost(30);
        for (String host : HOSTS) {
            builder.latency(host, Duration.ofMillis(10));
        }
        sandbox = builder.build().start();
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    @BeforeEach
    void freshCrawl() throws IOException {
        CLUSTER.flushAll();
        sandbox.reset();
        manifest = sandbox.manifest();
        spider = ChildCrawls.bookSpider(dir, sandbox, "books", 4);
        oneNode = CLUSTER.urlOfAnotherNodeThan("arachne:{books}:meta");
    }

    private Process worker(String name, String redis, String... more) throws IOException {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "worker",
                                spider.toString(),
                                "--redis",
                                redis,
                                "--worker",
                                name,
                                "-s",
                                "concurrent_requests_per_ip=2"));
        args.addAll(List.of(more));
        return ChildCrawls.start(ChildCrawls.command(args.toArray(String[]::new)), err(name));
    }

    private Path err(String name) {
        return dir.resolve(name + ".err");
    }

    private ChildCrawls.Ended ended(Process process, String name) throws Exception {
        ChildCrawls.Ended ended = ChildCrawls.ended(process, err(name), LIMIT);
        ChildCrawls.assertNoStackTrace(ended);
        assertThat(ended.exitCode()).as(name + ": " + ended).isZero();
        return ended;
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

    @SuppressWarnings("unchecked")
    private static Map<String, Object> status(String redis) throws IOException {
        Run run = Run.of("status", "--redis", redis, "--crawl", "books", "--json");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        return new ObjectMapper().readValue(run.out(), Map.class);
    }

    @Test
    void twoWorkers_givenTheNodes_orOneNode_exportTheManifest_fetchingEveryPageOnce()
            throws Exception {
        Process all = worker("all", CLUSTER.url());
        Process one = worker("one", oneNode);
        awaitPages(manifest.crawlablePages() / 3, all, one);
        Run running = Run.of("status", "--redis", oneNode, "--crawl", "books");

        assertThat(running.exitCode()).as(running.toString()).isZero();
        assertThat(running.out()).startsWith("crawl books on Redis Cluster at 127.0.0.1:");
        assertThat(ended(all, "all").stderr()).contains("is finished");
        assertThat(ended(one, "one").stderr()).contains("is finished");
        Path out = dir.resolve("books.jsonl");
        Run export = Run.of("export", "--redis", oneNode, "--crawl", "books", "-o", out.toString());

        assertThat(export.exitCode()).as(export.toString()).isZero();
        List<Map<String, Object>> items = OutputFiles.readItems(Feed.of(out, false));
        assertThat(items).hasSize((int) manifest.itemsTotal());
        assertThat(SiteManifest.itemsHash(items)).isEqualTo(manifest.itemsMultisetHash());
        List<String> pages = ChildCrawls.pagesFetched(sandbox);
        assertThat(new HashSet<>(pages)).hasSize(manifest.crawlablePages());
        assertThat(pages).as("every page fetched once").hasSize(manifest.crawlablePages());
        Map<String, Object> status = status(CLUSTER.url());
        assertThat(status.get("state")).isEqualTo("finished");
        assertThat(status.get("item_batches_exported")).isEqualTo(status.get("item_batches"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> workers = (List<Map<String, Object>>) status.get("workers");
        assertThat(workers)
                .extracting(w -> w.get("name") + " " + w.get("state"))
                .containsExactlyInAnyOrder("all finished", "one finished");
    }

    @Test
    void stop_onAClusterCrawl_makesARunningWorkerFinishWhatItHolds_andExit0() throws Exception {
        Process one = worker("one", oneNode, "-s", "download_delay=30ms");
        awaitPages(manifest.crawlablePages() / 4, one);
        Run stop = Run.of("stop", "--redis", CLUSTER.url(), "--crawl", "books");

        assertThat(stop.exitCode()).as(stop.toString()).isZero();
        assertThat(ended(one, "one").stderr()).contains("was stopped (arachne stop); exiting");
        Map<String, Object> stopped = status(oneNode);
        assertThat(stopped.get("state")).isEqualTo("stopped");
        assertThat(((Number) stopped.get("in_flight")).longValue()).isZero();
        assertThat(((Number) stopped.get("queued")).longValue()).isPositive();
    }

    /** A URL with a password: {@code redis://:PASSWORD@host:port,...}. */
    private static String withPassword(String url, String password) {
        return "redis://:" + password + "@" + url.substring("redis://".length());
    }

    @Test
    void password_fromTheEnvironment_orTheUrl_reachesEveryNode_andIsNeverShown() throws Exception {
        String password = "pw-Jx41mQ";
        String wrong = "wrong-Rt93";
        CLUSTER.requirePassword(password);
        try {
            ProcessBuilder worker =
                    new ProcessBuilder(
                                    ChildCrawls.command(
                                            "worker",
                                            spider.toString(),
                                            "--redis",
                                            oneNode,
                                            "--worker",
                                            "one"))
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .redirectError(err("one").toFile());
            worker.environment().put("ARACHNE_REDIS_PASSWORD", password);
            ChildCrawls.Ended crawled = ended(worker.start(), "one");
            Path out = dir.resolve("books.jsonl");
            Run export =
                    Run.of(
                            "export",
                            "--redis",
                            withPassword(CLUSTER.url(), password),
                            "--crawl",
                            "books",
                            "-o",
                            out.toString());
            Run refused =
                    Run.of("status", "--redis", withPassword(oneNode, wrong), "--crawl", "books");

            assertThat(crawled.stderr()).contains("is finished").doesNotContain(password);
            assertThat(export.exitCode()).as(export.toString()).isZero();
            assertThat(export.out() + export.err()).doesNotContain(password);
            List<Map<String, Object>> items = OutputFiles.readItems(Feed.of(out, false));
            assertThat(SiteManifest.itemsHash(items)).isEqualTo(manifest.itemsMultisetHash());
            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.CONFIG);
            assertThat(refused.err())
                    .contains("refused the credentials", "WRONGPASS")
                    .doesNotContain(wrong);
        } finally {
            CLUSTER.requirePassword(null);
        }
    }
}
