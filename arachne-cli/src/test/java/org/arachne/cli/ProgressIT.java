package org.arachne.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.arachne.sandbox.Sandbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The progress line of a real {@code arachne crawl} process under a pseudo-terminal ({@code
 * script}, from util-linux): drawn when stderr is the terminal, whatever stdout is, and not when
 * stderr is a file (#9: System.console() decided, which is about stdout); cut to {@code COLUMNS};
 * cleared before each log line and drawn again after it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProgressIT {
    private static final String HOST = "127.0.0.75";
    private static Sandbox sandbox;

    @TempDir Path dir;

    @BeforeAll
    static void startSandbox() throws IOException {
        // about 3 s of crawling: long enough for the line to be drawn (every second)
        sandbox =
                Sandbox.builder()
                        .hosts(List.of(HOST))
                        .pagesPerHost(30)
                        .latency(HOST, Duration.ofMillis(100))
                        .build()
                        .start();
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    /**
     * Runs {@code arachne crawl} in a pseudo-terminal with these redirections; returns the screen.
     */
    private String crawlInATerminal(String redirections) throws Exception {
        Path spider = dir.resolve("books.yaml");
        Files.writeString(
                spider,
                CliTest.GOOD_SPIDER.replace(
                        "[\"http://127.0.0.11:1/\"]", "[\"" + sandbox.baseUrl(HOST) + "\"]"),
                StandardCharsets.UTF_8);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command =
                String.join(
                        " ",
                        "'" + java + "'",
                        "-cp",
                        "'" + System.getProperty("java.class.path") + "'",
                        "org.arachne.cli.Main crawl",
                        "'" + spider + "'",
                        "-O",
                        "'" + dir.resolve("books.jsonl") + "'",
                        "-s concurrent_requests_per_domain=1",
                        redirections);
        Path screen = dir.resolve("screen.txt");
        ProcessBuilder builder =
                new ProcessBuilder("script", "-qec", command, "/dev/null")
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .redirectOutput(screen.toFile())
                        .redirectErrorStream(true);
        builder.environment().put("COLUMNS", "60");
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new AssertionError(
                    "this test needs util-linux's script (apt-get install bsdutils)", e);
        }
        try {
            assertThat(process.waitFor(90, TimeUnit.SECONDS)).isTrue();
        } finally {
            process.destroyForcibly();
        }
        String shown = Files.readString(screen, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(shown).isZero();
        return shown;
    }

    @Test
    void stderrATerminal_stdoutAFile_drawsTheLine_toTheWidth_clearedForLogLines() throws Exception {
        String screen = crawlInATerminal("> '" + dir.resolve("stdout.txt") + "'");

        List<String> progress =
                Arrays.stream(screen.split("[\r\n]+"))
                        .filter(s -> s.matches("\\d:\\d\\d\\.\\d  \\d+ pages.*"))
                        .toList();
        assertThat(progress).as(screen).isNotEmpty().allMatch(s -> s.length() < 60);
        assertThat(progress.get(progress.size() - 1)).contains("/s (avg ");
        assertThat(
                        Pattern.compile(
                                        "\r {20,}\r\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  Engine -"
                                                + " closing")
                                .matcher(screen)
                                .find())
                .as("the log line starts on a cleared line: " + screen)
                .isTrue();
        assertThat(screen).contains("crawl finished");
    }

    @Test
    void stderrAFile_stdoutATerminal_drawsNoLine() throws Exception {
        Path err = dir.resolve("stderr.txt");
        crawlInATerminal("2> '" + err + "'");

        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(stderr).contains("crawl finished").doesNotContain("\r");
    }
}
