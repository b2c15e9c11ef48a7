package org.arachne.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.arachne.sandbox.Sandbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dead-letter feed ({@code failed.jsonl}, {@code --failed}), {@code --retry-failed} and {@code
 * arachne jobs} against the sandbox (#10): in-process runs, and a real crawl process that {@code
 * jobs} reads while it runs and after it was killed.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class JobDirCommandsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CONCURRENCY = 4;
    private static Sandbox sandbox;

    @TempDir Path dir;

    @BeforeAll
    static void startSandbox() throws IOException {
        sandbox =
                Sandbox.builder()
                        .hosts(List.of("127.0.0.81"))
                        .pagesPerHost(200)
                        .latency("127.0.0.81", Duration.ofMillis(50))
                        .build()
                        .start();
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    /** A spider of these start URLs that follows no link, with fast retries. */
    private Path spider(String... startUrls) throws IOException {
        String yaml =
                String.format(
                        Locale.ROOT,
                        """
                        name: failing
                        start_urls: ["%s"]
                        settings:
                          robotstxt_obey: false
                          retry_times: 2
                          retry_backoff_base: 10ms
                        items:
                          - fields:
                              title: {xpath: "//title/text()"}
                        """,
                        String.join("\", \"", startUrls));
        Path spider = dir.resolve("failing.yaml");
        Files.writeString(spider, yaml, StandardCharsets.UTF_8);
        return spider;
    }

    private static List<Map<String, Object>> lines(Path file) throws IOException {
        List<Map<String, Object>> lines = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lines.add(JSON.readValue(line, new TypeReference<Map<String, Object>>() {}));
        }
        return lines;
    }

    private static String refusedUrl() throws IOException {
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return "http://127.0.0.1:" + closed.getLocalPort() + "/gone";
        }
    }

    @Test
    void deadLetters_areListedAndShownByJobs_andRetryFailedFetchesThemAgain() throws Exception {
        sandbox.reset();
        String flaky = sandbox.uri("/fault/flaky?key=dead-letters&fails=3&status=500").toString();
        Path spider = spider(sandbox.startUrls().get(0), flaky);
        Path job = dir.resolve("job");
        Path items = dir.resolve("items.jsonl");

        Run first =
                Run.of(
                        "crawl",
                        spider.toString(),
                        "--job-dir",
                        job.toString(),
                        "-o",
                        items.toString());

        assertThat(first.exitCode()).as(first.toString()).isZero();
        Path failed = job.resolve("failed.jsonl");
        assertThat(lines(failed))
                .singleElement()
                .satisfies(
                        line -> {
                            assertThat(line).containsEntry("url", flaky);
                            assertThat(line).containsEntry("status", 500);
                            assertThat(line).containsEntry("attempts", 3);
                            assertThat((String) line.get("reason")).contains("HTTP 500");
                        });
        assertThat(first.err())
                .containsPattern(
                        "failed for good +1 \\(" + Pattern.quote(failed.toString()) + "\\)");
        assertThat(first.err()).contains("run 1 of this job");
        Run jobs = Run.of("jobs", job.toString());
        assertThat(jobs.exitCode()).as(jobs.toString()).isZero();
        assertThat(jobs.out())
                .contains("crawl 'failing'")
                .containsPattern("state +finished: nothing left to crawl")
                .containsPattern("failed +1 \\(")
                .contains("--retry-failed")
                .containsPattern("done +4 pages")
                .containsPattern("runs +1\n")
                .containsPattern("last run +run 1, started .*, finished \\(finished\\) at ");

        Run retried =
                Run.of(
                        "crawl",
                        spider.toString(),
                        "--job-dir",
                        job.toString(),
                        "-o",
                        items.toString(),
                        "--retry-failed");

        assertThat(retried.exitCode()).as(retried.toString()).isZero();
        assertThat(sandbox.allHostsLog().count("/fault/flaky"))
                .as("three tries, then once more: the fourth succeeds")
                .isEqualTo(4);
        assertThat(sandbox.allHostsLog().count("/"))
                .as("done pages are not fetched again")
                .isEqualTo(1);
        assertThat(Files.readString(failed, StandardCharsets.UTF_8)).isEmpty();
        assertThat(lines(items)).extracting(m -> m.get("title")).hasSize(2);
        assertThat(retried.err())
                .contains("run 2 of this job")
                .containsPattern("items +2 \\(1 in this run\\)");
        Run after = Run.of("jobs", job.toString());
        assertThat(after.out()).containsPattern("failed +0 \\(").containsPattern("runs +2\n");
    }

    @Test
    void failed_withoutAJobDir_listsEachFailureWithItsReason() throws Exception {
        sandbox.reset();
        String gone = refusedUrl();
        Path failed = dir.resolve("out/failed.jsonl");

        Run run =
                Run.of(
                        "crawl",
                        spider(sandbox.startUrls().get(0), gone).toString(),
                        "--failed",
                        failed.toString(),
                        "-s",
                        "retry_times=0");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(lines(failed))
                .singleElement()
                .satisfies(
                        line -> {
                            assertThat(line).containsEntry("url", gone);
                            assertThat(line).containsEntry("status", null);
                            assertThat(line).containsEntry("attempts", 1);
                            assertThat((String) line.get("reason")).contains("Connection refused");
                        });
        assertThat(run.err()).containsPattern("failed for good +1 \\(");
    }

    @Test
    void retryFailed_withoutAJobDir_isAConfigError() throws Exception {
        Run run = Run.of("crawl", spider(refusedUrl()).toString(), "--retry-failed");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err()).contains("--retry-failed").contains("--job-dir");
    }

    @Test
    void jobs_notAJobDir_isAConfigError_creatingNothing() {
        Run run = Run.of("jobs", dir.toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err())
                .contains("arachne: " + dir + " is not a job dir: it has no frontier.db");
        assertThat(dir).isEmptyDirectory();
    }

    private Process crawlProcess(Path spider, Path job, Path err) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        "org.arachne.cli.Main",
                        "crawl",
                        spider.toString(),
                        "-s",
                        "concurrent_requests=" + CONCURRENCY,
                        "--job-dir",
                        job.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.appendTo(err.toFile()))
                .start();
    }

    private static int number(String out, String field) {
        Matcher m = Pattern.compile("(?m)^" + field + " +(\\d+)").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return Integer.parseInt(m.group(1));
    }

    @Test
    void jobs_readsACrawlWhileItRuns_andAfterItWasKilled() throws Exception {
        sandbox.reset();
        Path spider = dir.resolve("site.yaml");
        Files.writeString(
                spider,
                String.format(
                        Locale.ROOT,
                        """
                        name: site
                        start_urls: ["%s"]
                        rules:
                          - follow: true
                        """,
                        sandbox.startUrls().get(0)),
                StandardCharsets.UTF_8);
        Path job = dir.resolve("job");
        Path err = dir.resolve("err.txt");
        Process process = crawlProcess(spider, job, err);
        Run running;
        try {
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> sandbox.allHostsLog().count() >= 60 || !process.isAlive());
            running = Run.of("jobs", job.toString());
            Process kill =
                    new ProcessBuilder("kill", "-KILL", String.valueOf(process.pid())).start();
            assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            process.destroyForcibly();
        }
        assertThat(running.exitCode()).as(running.toString()).isZero();
        assertThat(running.out())
                .as("read while the crawl ran")
                .containsPattern("state +running \\(process " + process.pid() + "\\)")
                .containsPattern("in flight +\\d+ now");

        Run killed = Run.of("jobs", job.toString());
        assertThat(killed.exitCode()).as(killed.toString()).isZero();
        assertThat(killed.out())
                .containsPattern("state +resumable: the same crawl command goes on")
                .contains("(process " + process.pid() + "): killed or crashed, no end recorded");
        assertThat(number(killed.out(), "in flight")).isBetween(0, CONCURRENCY);
        assertThat(number(killed.out(), "queued")).isPositive();

        Run resumed = Run.of("crawl", spider.toString(), "--job-dir", job.toString());
        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
        assertThat(resumed.err()).contains("run 2 of this job");
        Run finished = Run.of("jobs", job.toString());
        assertThat(finished.out())
                .containsPattern("state +finished: nothing left to crawl")
                .containsPattern("queued +0\n")
                .containsPattern("in flight +0 at the stop\n")
                .containsPattern("runs +2\n")
                .containsPattern("last run +run 2, started .*, finished \\(finished\\)");
    }
}
