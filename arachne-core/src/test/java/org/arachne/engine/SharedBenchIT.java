package org.arachne.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.arachne.item.export.Feed;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crawls the shared benchmark site ({@code ../shared/bench}) served by nginx, and checks the output
 * with the bench's own checker, fetched URLs included. The site has 8 hosts of 250 pages each.
 */
@Timeout(300)
class SharedBenchIT {
    private static final int HOSTS = 8;
    private static final int PAGES = 2000;

    @TempDir Path dir;

    private static Path benchDir() {
        String shared = System.getenv("ARACHNE_SHARED_DIR");
        Path bench = shared == null ? null : Path.of(shared, "bench");
        if (bench == null || !Files.isRegularFile(bench.resolve("gen-site.py"))) {
            String why = "the shared bench site is not beside the repository (../shared/bench)";
            if ("true".equals(System.getenv("CI"))) {
                fail(why + "; CI must provide it");
            }
            Assumptions.abort(why);
        }
        return bench;
    }

    @Test
    void crawlOfTheSharedBench_passesItsChecker() throws Exception {
        Path bench = benchDir();
        Path site = dir.resolve("site");
        int port = freePort();
        run(
                dir,
                120,
                "python3",
                bench.resolve("gen-site.py").toString(),
                "--out",
                site.toString(),
                "--hosts",
                String.valueOf(HOSTS),
                "--pages",
                String.valueOf(PAGES),
                "--port",
                String.valueOf(port),
                "--seed",
                "1");
        Map<String, String> env = Map.of("BENCH_STATE_DIR", dir.resolve("nginx").toString());
        run(dir, env, 180, bench.resolve("serve.sh").toString(), "start", site.toString());
        try {
            List<String> starts =
                    Files.readAllLines(site.resolve("start-urls.txt"), StandardCharsets.UTF_8)
                            .stream()
                            .filter(s -> !s.isBlank())
                            .toList();
            BooksSpider spider = new BooksSpider(starts);
            Path out = dir.resolve("out.jsonl");
            CrawlResult result =
                    Crawler.builder(spider)
                            .setting("concurrent_requests", 64)
                            .setting("concurrent_requests_per_domain", 16)
                            .feed(Feed.of(out, true))
                            .build()
                            .run();
            assertThat(result.status()).isEqualTo(CrawlResult.Status.FINISHED);
            assertThat(result.errors()).isZero();
            Path fetched = dir.resolve("fetched.txt");
            Files.write(fetched, new ArrayList<>(spider.parsed), StandardCharsets.UTF_8);

            String check =
                    run(
                            dir,
                            Map.of(),
                            120,
                            "python3",
                            bench.resolve("check-output.py").toString(),
                            site.toString(),
                            out.toString(),
                            "--fetched-urls",
                            fetched.toString());
            assertThat(check).contains("RESULT: PASS");
        } finally {
            run(dir, env, 60, bench.resolve("serve.sh").toString(), "stop");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.11"))) {
            return socket.getLocalPort();
        }
    }

    private static String run(Path cwd, int seconds, String... command) throws Exception {
        return run(cwd, Map.of(), seconds, command);
    }

    /** Runs a command, returns its output; fails the test (with the output) on a non-zero exit. */
    private static String run(Path cwd, Map<String, String> env, int seconds, String... command)
            throws Exception {
        ProcessBuilder pb =
                new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Path log = Files.createTempFile(cwd, "cmd", ".log");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("timed out after " + seconds + " s: " + String.join(" ", command));
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            fail("exit " + p.exitValue() + " from " + String.join(" ", command) + ":\n" + output);
        }
        return output;
    }
}
