package org.arachne.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisURI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.arachne.item.export.Feed;
import org.arachne.redis.CrawlStatus;
import org.arachne.redis.WorkerReport;
import org.junit.jupiter.api.Test;

/**
 * The Redis commands' parts that need no Redis: where the credentials come from and how a URL is
 * quoted back, the default worker names, the status as text and JSON, and the errors of a Redis
 * that cannot be reached or a bad crawl name.
 */
class RedisCommandsTest {
    private static RedisOptions redis(String url) {
        RedisOptions options = new RedisOptions();
        options.url = url;
        return options;
    }

    private static RedisCredentials credentials(RedisURI uri) {
        return uri.getCredentialsProvider().resolveCredentials().block();
    }

    @Test
    void uri_withoutAPassword_takesItFromTheEnvironment_withItsUser() {
        RedisURI alone =
                redis("redis://127.0.0.1:6390")
                        .seeds(Map.of(RedisOptions.PASSWORD_VARIABLE, "from-env"))
                        .getFirst();
        RedisURI withUser =
                redis("redis://127.0.0.1:6390")
                        .seeds(
                                Map.of(
                                        RedisOptions.PASSWORD_VARIABLE, "from-env",
                                        RedisOptions.USER_VARIABLE, "crawler"))
                        .getFirst();

        assertThat(new String(credentials(alone).getPassword())).isEqualTo("from-env");
        assertThat(credentials(alone).hasUsername()).isFalse();
        assertThat(credentials(withUser).getUsername()).isEqualTo("crawler");
    }

    @Test
    void uri_withAPassword_keepsIt_overTheEnvironment() {
        RedisURI uri =
                redis("redis://bob:in-url@127.0.0.1:6390/2")
                        .seeds(Map.of(RedisOptions.PASSWORD_VARIABLE, "from-env"))
                        .getFirst();

        assertThat(new String(credentials(uri).getPassword())).isEqualTo("in-url");
        assertThat(credentials(uri).getUsername()).isEqualTo("bob");
        assertThat(uri.getDatabase()).isEqualTo(2);
    }

    @Test
    void uri_ofAnotherScheme_orUnreadable_isAConfigError_quotedWithoutThePassword() {
        assertThatThrownBy(() -> redis("http://bob:secret@host:1").seeds(Map.of()))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("http://***@host:1")
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> redis("redis://bob:se cret/x@host:1").seeds(Map.of()))
                .hasMessageContaining("not a URL: redis://***@host:1")
                .hasMessageNotContaining("cret");
    }

    @Test
    void seeds_ofAClustersNodes_takeThePasswordFromTheEnvironment_eachOfThem() {
        List<RedisURI> seeds =
                redis("redis://127.0.0.1:7001,127.0.0.1:7002,10.0.0.3")
                        .seeds(
                                Map.of(
                                        RedisOptions.PASSWORD_VARIABLE, "from-env",
                                        RedisOptions.USER_VARIABLE, "crawler"));

        assertThat(seeds)
                .extracting(uri -> uri.getHost() + ":" + uri.getPort())
                .containsExactly("127.0.0.1:7001", "127.0.0.1:7002", "10.0.0.3:6379");
        for (RedisURI seed : seeds) {
            assertThat(credentials(seed).getUsername()).isEqualTo("crawler");
            assertThat(new String(credentials(seed).getPassword())).isEqualTo("from-env");
        }
    }

    @Test
    void seeds_ofAClustersNodes_withAPasswordInTheUrl_keepIt_overTheEnvironment_withTls() {
        List<RedisURI> seeds =
                redis("rediss://bob:in-url@h1:7001,h2:7002")
                        .seeds(Map.of(RedisOptions.PASSWORD_VARIABLE, "from-env"));

        assertThat(seeds).hasSize(2).allMatch(RedisURI::isSsl);
        for (RedisURI seed : seeds) {
            assertThat(credentials(seed).getUsername()).isEqualTo("bob");
            assertThat(new String(credentials(seed).getPassword())).isEqualTo("in-url");
        }
    }

    @Test
    void seeds_ofAClustersNodes_thatCannotBeRead_isAConfigError_quotedWithoutThePassword() {
        assertThatThrownBy(() -> redis("redis://bob:secret@h1:7001,h2:x").seeds(Map.of()))
                .isInstanceOf(CliException.class)
                .hasMessageStartingWith("--redis: redis://***@h1:7001,h2:x is no Redis URL")
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> redis("redis://:secret@h1:7001,h2:7002/3").seeds(Map.of()))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("a cluster has database 0 only")
                .hasMessageNotContaining("secret");
    }

    @Test
    void redisCa_withoutTls_isAConfigError() {
        RedisOptions options = redis("redis://127.0.0.1:6390");
        options.ca = Path.of("ca.pem");

        assertThatThrownBy(() -> options.seeds(Map.of()))
                .isInstanceOf(CliException.class)
                .hasMessage("--redis-ca applies to rediss:// (TLS) only");
    }

    @Test
    void defaultName_ofAWorkerWithItsOwnFile_isTheSameForTheSameFile() {
        List<Feed> books = List.of(Feed.of(Path.of("out/books.jsonl"), false));
        List<Feed> other = List.of(Feed.of(Path.of("elsewhere/books.jsonl"), false));

        String name = WorkerCommand.defaultName(books);

        assertThat(name).isEqualTo(WorkerCommand.defaultName(books)).contains("-books.jsonl-");
        assertThat(WorkerCommand.defaultName(other)).isNotEqualTo(name);
        assertThat(WorkerCommand.defaultName(List.of()))
                .endsWith("-" + ProcessHandle.current().pid());
        assertThat(name).matches("[A-Za-z0-9._-]{1,100}");
    }

    private static CrawlStatus status() {
        return new CrawlStatus(
                "books",
                CrawlStatus.State.RUNNING,
                Instant.parse("2026-01-02T03:04:05Z"),
                null,
                120,
                2,
                5,
                1,
                300,
                4,
                3,
                1,
                425,
                280,
                200,
                List.of(
                        new CrawlStatus.Host(
                                "a.test",
                                80,
                                2,
                                2,
                                Duration.ofMillis(400),
                                Duration.ZERO,
                                0,
                                Duration.ofSeconds(1),
                                37,
                                4)),
                List.of(
                        new CrawlStatus.Worker(
                                "w1",
                                "running",
                                3,
                                new WorkerReport("host-a", 42, "stream", "running", 150, 140, 1, 0),
                                Duration.ofMillis(1200),
                                0),
                        new CrawlStatus.Worker(
                                "w2",
                                "gone",
                                2,
                                new WorkerReport("host-b", 43, "b.jsonl", "running", 9, 8, 0, 0),
                                Duration.ofSeconds(40),
                                6)));
    }

    @Test
    void status_asText_saysTheTotals_theHosts_andTheWorkers() {
        String text = StatusCommand.text(status(), "Redis at 127.0.0.1:6390", 20);

        assertThat(text)
                .startsWith("crawl books on Redis at 127.0.0.1:6390: running\n")
                .contains("queued            120 (2 retries waiting for their time)")
                .contains("in flight         5 (1 past their deadline")
                .contains("280 committed to the stream, 200 exported, 80 waiting")
                .containsPattern("a\\.test +80 +2 +37 +4 +2 +in 0\\.4s +- +0 +1\\.0s")
                .containsPattern("w1 +running +3 +150 +140 +1 +0 +1\\.2s ago +stream")
                .contains(
                        "b.jsonl (6 batches not written: arachne export --worker w2 writes them)");
    }

    @Test
    void status_asJson_hasEveryFigure_inMilliseconds() {
        Map<String, Object> json = StatusCommand.json(status(), "Redis at 127.0.0.1:6390");

        assertThat(json)
                .containsEntry("state", "running")
                .containsEntry("queued", 120L)
                .containsEntry("in_flight", 5L)
                .containsEntry("done", 300L)
                .containsEntry("failed", 3L)
                .containsEntry("item_batches_exported", 200L);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> hosts = (List<Map<String, Object>>) json.get("hosts");
        assertThat(hosts.getFirst())
                .containsEntry("next_start_in_ms", 400L)
                .containsEntry("done", 37L)
                .containsEntry("failed", 4L);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> workers = (List<Map<String, Object>>) json.get("workers");
        assertThat(workers.get(1))
                .containsEntry("state", "gone")
                .containsEntry("heartbeat_ms_ago", 40_000L)
                .containsEntry("unwritten_batches", 6L);
    }

    @Test
    void redisThatCannotBeReached_isExit4_namingTheServer() {
        Run run = Run.of("status", "--redis", "redis://127.0.0.1:1", "--crawl", "books");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.ABORTED);
        assertThat(run.err())
                .startsWith("arachne: Redis at 127.0.0.1:1: could not connect")
                .doesNotContain("\tat ");
    }

    @Test
    void workerPartitions_outOfRange_isAConfigError_namingTheOption() {
        for (String bad : List.of("0", "1025", "-3")) {
            Run run =
                    Run.of(
                            "worker",
                            "books.yaml",
                            "--redis",
                            "redis://127.0.0.1:1",
                            "--partitions",
                            bad);

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONFIG);
            assertThat(run.err()).contains("--partitions: " + bad + " is not between 1 and 1024");
        }
    }

    @Test
    void redisClusterThatCannotBeReached_isExit4_namingTheNodes_andWhy() {
        Run run =
                Run.of(
                        "status",
                        "--redis",
                        "redis://:secret-9Kw@127.0.0.1:1,127.0.0.1:2",
                        "--crawl",
                        "books");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.ABORTED);
        assertThat(run.err())
                .startsWith("arachne: Redis Cluster at 127.0.0.1:1,127.0.0.1:2: could not connect")
                .contains("Connection refused")
                .doesNotContain("secret-9Kw")
                .doesNotContain("\tat ");
    }

    @Test
    void crawlNameThatCouldEscapeItsKeys_isAConfigError() {
        Run run = Run.of("stop", "--redis", "redis://127.0.0.1:1", "--crawl", "a}:b");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err()).contains("crawl name 'a}:b' cannot name Redis keys");
    }
}
