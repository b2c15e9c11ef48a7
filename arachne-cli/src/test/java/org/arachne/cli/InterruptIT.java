package org.arachne.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.arachne.sandbox.Sandbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C on a real {@code arachne crawl} process: the first SIGINT stops gracefully (in-flight
 * requests finish, the output is complete, the summary is printed), the second aborts at once.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class InterruptIT {
    private static final String HOST = "127.0.0.71";
    private static Sandbox sandbox;

    @TempDir Path dir;

    @BeforeAll
    static void startSandbox() throws IOException {
        sandbox =
                Sandbox.builder()
                        .hosts(List.of(HOST))
                        .pagesPerHost(400)
                        .latency(HOST, Duration.ofMillis(150))
                        .build()
                        .start();
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    private Process crawl(String startUrls, Path out, Path err, String... settings)
            throws IOException {
        String yaml = CliTest.GOOD_SPIDER.replace("[\"http://127.0.0.11:1/\"]", startUrls);
        Path spider = dir.resolve("books.yaml");
        Files.writeString(spider, yaml, StandardCharsets.UTF_8);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command =
                new ArrayList<>(
                        List.of(
                                java,
                                "-cp",
                                System.getProperty("java.class.path"),
                                "org.arachne.cli.Main",
                                "crawl",
                                spider.toString(),
                                "-O",
                                out.toString(),
                                "-s",
                                "concurrent_requests_per_domain=2"));
        for (String setting : settings) {
            command.add("-s");
            command.add(setting);
        }
        return new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(err.toFile())
                .start();
    }

    private static void sigint(Process process) throws Exception {
        signal(process, "INT");
    }

    private static void signal(Process process, String name) throws Exception {
        Process kill =
                new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid()))
                        .inheritIO()
                        .start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    private static long lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8).size() : 0;
    }

    @Test
    void firstCtrlC_stopsGracefully_withCompleteOutputAndSummary() throws Exception {
        Path out = dir.resolve("books.jsonl");
        Path err = dir.resolve("err.txt");
        Process process = crawl("[\"" + sandbox.baseUrl(HOST) + "\"]", out, err);
        try {
            await().atMost(Duration.ofSeconds(60))
                    .until(
                            () ->
                                    Files.readString(err, StandardCharsets.UTF_8)
                                                    .contains("progress")
                                            || sandbox.log(HOST).count() > 5);
            sigint(process);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            process.destroyForcibly();
        }
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(stderr).isEqualTo(ExitCodes.INTERRUPTED);
        assertThat(stderr).contains("arachne: stopping").contains("crawl stopped");
        assertThat(lines(out)).isPositive();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
            assertThat(json.readTree(line).get("title")).as(line).isNotNull();
        }
        assertThat(sandbox.log(HOST).count())
                .as("stopped early: far fewer requests than pages")
                .isLessThan(400);
    }

    @Test
    void secondCtrlC_abortsWithoutWaitingForSlowRequests() throws Exception {
        Path out = dir.resolve("slow.jsonl");
        Path err = dir.resolve("err-slow.txt");
        String slow = sandbox.uri("/fault/slow?ms=60000").toString();
        Process process = crawl("[\"" + slow + "\", \"" + slow + "&b=1\"]", out, err);
        try {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> sandbox.log(HOST).count("/fault/slow") >= 2);
            sigint(process);
            await().atMost(Duration.ofSeconds(20))
                    .until(
                            () ->
                                    Files.readString(err, StandardCharsets.UTF_8)
                                            .contains("stopping"));
            sigint(process);
            assertThat(process.waitFor(20, TimeUnit.SECONDS))
                    .as("aborted long before the 60 s requests end")
                    .isTrue();
        } finally {
            process.destroyForcibly();
        }
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(stderr).isEqualTo(ExitCodes.INTERRUPTED);
        assertThat(stderr).contains("arachne: aborting");
        assertThat(Files.exists(out)).as("the output is still closed").isTrue();
    }

    @Test
    void sigterm_whileTheOnlySlotWaitsALongDelay_endsTheProcessAtOnce() throws Exception {
        Path out = dir.resolve("delayed.jsonl");
        Path err = dir.resolve("err-delayed.txt");
        long before = sandbox.log(HOST).count(); // the sandbox is shared with the other tests
        Process process =
                crawl(
                        "[\"" + sandbox.baseUrl(HOST) + "\"]",
                        out,
                        err,
                        "download_delay=60s",
                        "randomize_download_delay=false");
        long millis;
        try {
            // robots.txt is the slot's first start: the page now waits 60 s behind it
            await().atMost(Duration.ofSeconds(60)).until(() -> sandbox.log(HOST).count() > before);
            long signalled = System.nanoTime();
            signal(process, "TERM");
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
        } finally {
            process.destroyForcibly();
        }
        System.out.println("SIGTERM to exit, with a 60 s delay pending: " + millis + " ms");
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(stderr).isEqualTo(ExitCodes.INTERRUPTED);
        assertThat(millis)
                .as("the dispatcher no longer waits out its take (5 s before)")
                .isLessThan(3000);
        assertThat(sandbox.log(HOST).count() - before).as("robots.txt only").isEqualTo(1);
        assertThat(stderr).contains("crawl stopped");
    }
}
