package org.arachne.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.arachne.item.export.Feed;
import org.arachne.redis.RedisServer;
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
 * A Redis that asks for a password (and has an ACL user): the commands take it from the URL or from
 * {@code ARACHNE_REDIS_PASSWORD}, and it is never in what they print, log or write (a child
 * worker's whole stderr, its stats file, every command's output), nor in the errors of a wrong one,
 * a missing one or a URL that cannot be read.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RedisCredentialsIT {
    private static final String PASSWORD = "pw-8f3Kq2xZ";
    private static final String WRONG = "wrong-7Hd2sQ";

    @RegisterExtension static final RedisServer REDIS = RedisServer.withPassword(PASSWORD);

    private static Sandbox sandbox;

    @TempDir Path dir;

    @BeforeAll
    static void startSandbox() throws IOException {
        sandbox = Sandbox.builder().hosts(List.of("127.0.0.175")).pagesPerHost(10).build().start();
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    @BeforeEach
    void freshCrawl() {
        REDIS.flushAll();
        sandbox.reset();
    }

    private static String url(String userInfo) {
        return "redis://" + userInfo + "@127.0.0.1:" + REDIS.port();
    }

    private static void assertHidden(String what, String text, String secret) {
        assertThat(text).as(what).doesNotContain(secret);
    }

    @Test
    void passwordFromTheEnvironment_orTheUrl_isUsed_andNeverShown() throws Exception {
        Path spider = ChildCrawls.bookSpider(dir, sandbox, "books", 4);
        Path stats = dir.resolve("stats.json");
        Path err = dir.resolve("worker.err");
        ProcessBuilder worker =
                new ProcessBuilder(
                                ChildCrawls.command(
                                        "worker",
                                        spider.toString(),
                                        "--redis",
                                        REDIS.url(),
                                        "--stats-json",
                                        stats.toString(),
                                        "--log-level",
                                        "debug"))
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(err.toFile());
        worker.environment().put("ARACHNE_REDIS_PASSWORD", PASSWORD);
        ChildCrawls.Ended ended = ChildCrawls.ended(worker.start(), err, Duration.ofSeconds(60));

        assertThat(ended.exitCode()).as(ended.toString()).isZero();
        assertHidden("the worker's stderr, at debug level", ended.stderr(), PASSWORD);
        assertHidden("its stats", Files.readString(stats, StandardCharsets.UTF_8), PASSWORD);

        Run status = Run.of("status", "--redis", url(":" + PASSWORD), "--crawl", "books");
        Run json = Run.of("status", "--redis", url(":" + PASSWORD), "--crawl", "books", "--json");
        Path out = dir.resolve("books.jsonl");
        Run export =
                Run.of(
                        "export",
                        "--redis",
                        url(RedisServer.ACL_USER + ":" + PASSWORD),
                        "--crawl",
                        "books",
                        "-o",
                        out.toString());
        Run stop = Run.of("stop", "--redis", url(":" + PASSWORD), "--crawl", "books");
        for (Run run : List.of(status, json, export, stop)) {
            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertHidden("a command's output", run.out() + run.err(), PASSWORD);
        }
        assertThat(status.out()).contains("Redis at 127.0.0.1:" + REDIS.port() + ": finished");
        List<Map<String, Object>> items = OutputFiles.readItems(Feed.of(out, false));
        assertThat(SiteManifest.itemsHash(items)).isEqualTo(sandbox.manifest().itemsMultisetHash());
    }

    @Test
    void wrongOrMissingPassword_isRefusedInOneLine_withoutThePassword() throws Exception {
        Run wrong = Run.of("status", "--redis", url(":" + WRONG), "--crawl", "books");
        Run wrongUser =
                Run.of("stop", "--redis", url(RedisServer.ACL_USER + ":" + WRONG), "--crawl", "x");
        Run missing = Run.of("status", "--redis", REDIS.url(), "--crawl", "books");

        for (Run run : List.of(wrong, wrongUser)) {
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONFIG);
            assertThat(run.err())
                    .as(run.toString())
                    .contains("Redis at 127.0.0.1:" + REDIS.port() + " refused the credentials")
                    .contains("WRONGPASS");
            assertHidden("the error", run.err(), WRONG);
        }
        assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(missing.err()).contains("NOAUTH");

        Path err = dir.resolve("worker.err");
        ProcessBuilder worker =
                new ProcessBuilder(
                                ChildCrawls.command(
                                        "worker",
                                        ChildCrawls.bookSpider(dir, sandbox, "books", 4).toString(),
                                        "--redis",
                                        REDIS.url()))
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(err.toFile());
        worker.environment().put("ARACHNE_REDIS_PASSWORD", WRONG);
        ChildCrawls.Ended ended = ChildCrawls.ended(worker.start(), err, Duration.ofSeconds(60));
        assertThat(ended.exitCode()).as(ended.toString()).isEqualTo(ExitCodes.CONFIG);
        ChildCrawls.assertNoStackTrace(ended);
        assertHidden("the worker's stderr", ended.stderr(), WRONG);
    }

    @Test
    void urlThatCannotBeRead_isQuotedWithItsPasswordMasked() {
        Run spaced =
                Run.of("status", "--redis", "redis://u:pw with space@127.0.0.1:1", "--crawl", "b");
        Run scheme =
                Run.of(
                        "status",
                        "--redis",
                        "http://u:" + PASSWORD + "@127.0.0.1:1",
                        "--crawl",
                        "b");

        assertThat(spaced.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertHidden("the error", spaced.err(), "with space");
        assertThat(scheme.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(scheme.err()).contains("http://***@127.0.0.1:1");
        assertHidden("the error", scheme.err(), PASSWORD);
    }
}
