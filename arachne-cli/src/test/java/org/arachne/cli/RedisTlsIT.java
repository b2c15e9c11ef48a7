package org.arachne.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rediss://}: a Redis that speaks TLS only, with a self-signed certificate made for the
 * test. A worker and the commands trusting it ({@code --redis-ca}) crawl and export; without it the
 * connection is refused with the reason, in one line.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RedisTlsIT {
    @RegisterExtension static final RedisServer REDIS = RedisServer.withTls();

    private static Sandbox sandbox;

    @TempDir Path dir;

    @BeforeAll
    static void startSandbox() throws IOException {
        sandbox = Sandbox.builder().hosts(List.of("127.0.0.176")).pagesPerHost(10).build().start();
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    @Test
    void workerAndExport_overTls_trustingTheServersCertificate() throws Exception {
        String ca = REDIS.certificate().toString();
        Path spider = ChildCrawls.bookSpider(dir, sandbox, "books", 4);

        ChildCrawls.Ended worker =
                ChildCrawls.run(
                        ChildCrawls.command(
                                "worker",
                                spider.toString(),
                                "--redis",
                                REDIS.url(),
                                "--redis-ca",
                                ca),
                        dir,
                        Duration.ofSeconds(60));
        Path out = dir.resolve("books.jsonl");
        Run export =
                Run.of(
                        "export",
                        "--redis",
                        REDIS.url(),
                        "--redis-ca",
                        ca,
                        "--crawl",
                        "books",
                        "-o",
                        out.toString());

        assertThat(REDIS.url()).startsWith("rediss://");
        assertThat(worker.exitCode()).as(worker.toString()).isZero();
        assertThat(export.exitCode()).as(export.toString()).isZero();
        List<Map<String, Object>> items = OutputFiles.readItems(Feed.of(out, false));
        assertThat(items).hasSize((int) sandbox.manifest().itemsTotal());
        assertThat(SiteManifest.itemsHash(items)).isEqualTo(sandbox.manifest().itemsMultisetHash());
    }

    @Test
    void withoutTrustingTheCertificate_theConnectionIsRefused_inOneLine() {
        Run status = Run.of("status", "--redis", REDIS.url(), "--crawl", "books");
        Run plain =
                Run.of("status", "--redis", "redis://127.0.0.1:" + REDIS.port(), "--crawl", "b");

        assertThat(status.exitCode()).as(status.toString()).isEqualTo(ExitCodes.ABORTED);
        assertThat(status.err())
                .contains("Redis at 127.0.0.1:" + REDIS.port() + ": could not connect")
                .contains("certification path");
        assertThat(status.err().lines()).hasSize(1);
        assertThat(plain.exitCode()).as(plain.toString()).isEqualTo(ExitCodes.ABORTED);
    }
}
