package org.arachne.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.arachne.item.export.Feed;
import org.arachne.redis.RedisCluster;
import org.arachne.sandbox.Sandbox;
import org.arachne.sandbox.SiteManifest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rediss://} on a Redis Cluster whose three nodes speak TLS only (#11), with a self-signed
 * certificate made for the test: a worker given the nodes and an export given one node, both
 * trusting it ({@code --redis-ca}), crawl and export the manifest; without it the connection is
 * refused with the reason, in one line.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RedisClusterTlsIT {
    @RegisterExtension static final RedisCluster CLUSTER = RedisCluster.withTls();

    private static Sandbox sandbox;

    @TempDir Path dir;

    @BeforeAll
    static void startSandbox() throws IOException {
        sandbox = Sandbox.builder().hosts(List.of("127.0.0.187")).pagesPerHost(10).build().start();
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    @Test
    void workerAndExport_overTls_trustingTheNodesCertificate() throws Exception {
        String ca = CLUSTER.certificate().toString();
        Path spider = ChildCrawls.bookSpider(dir, sandbox, "books", 4);
        String oneNode = CLUSTER.urlOfAnotherNodeThan("arachne:{books}:meta");

        ChildCrawls.Ended worker =
                ChildCrawls.run(
                        ChildCrawls.command(
                                "worker",
                                spider.toString(),
                                "--redis",
                                CLUSTER.url(),
                                "--redis-ca",
                                ca),
                        dir,
                        Duration.ofSeconds(60));
        Path out = dir.resolve("books.jsonl");
        Run export =
                Run.of(
                        "export",
                        "--redis",
                        oneNode,
                        "--redis-ca",
                        ca,
                        "--crawl",
                        "books",
                        "-o",
                        out.toString());

        assertThat(CLUSTER.url()).startsWith("rediss://");
        assertThat(worker.exitCode()).as(worker.toString()).isZero();
        assertThat(worker.stderr()).contains("is finished");
        assertThat(export.exitCode()).as(export.toString()).isZero();
        List<Map<String, Object>> items = OutputFiles.readItems(Feed.of(out, false));
        assertThat(items).hasSize((int) sandbox.manifest().itemsTotal());
        assertThat(SiteManifest.itemsHash(items)).isEqualTo(sandbox.manifest().itemsMultisetHash());
    }

    @Test
    void withoutTrustingTheCertificate_theConnectionIsRefused_inOneLine() {
        Run status = Run.of("status", "--redis", CLUSTER.url(), "--crawl", "books");

        assertThat(status.exitCode()).as(status.toString()).isEqualTo(ExitCodes.ABORTED);
        assertThat(status.err())
                .contains("Redis Cluster at 127.0.0.1:", ": could not connect")
                .contains("certification path");
        assertThat(status.err().lines()).hasSize(1);
    }
}
