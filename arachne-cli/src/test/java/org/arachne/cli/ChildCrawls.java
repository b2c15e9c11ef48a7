package org.arachne.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.arachne.sandbox.RequestStart;
import org.arachne.sandbox.Sandbox;

/**
 * Real {@code arachne} processes for the tests that kill, stop, limit or starve them, or change
 * their spider between runs (#10): the command line of a child JVM running {@link Main} on this
 * test's class path, running it to its end, a spider of the sandbox's book pages, the pages the
 * sandbox served, and signals.
 */
final class ChildCrawls {
    private ChildCrawls() {}

    /** The command line of a child JVM running {@code arachne} with these arguments. */
    static List<String> command(String... args) {
        return command(List.of(), args);
    }

    /** The same with options for the JVM ({@code -Djava.io.tmpdir=...}). */
    static List<String> command(List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED"); // sqlite-jdbc, as the jar's manifest
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        return command;
    }

    /** One finished child process: its exit code and what it wrote on stderr. */
    record Ended(int exitCode, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stderr\n" + stderr;
        }
    }

    /** Starts a child process with its stdout discarded and its stderr written to {@code err}. */
    static Process start(List<String> command, Path err) throws IOException {
        return new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(err.toFile())
                .start();
    }

    /** Waits for a child to end, at most {@code limit} (else the test fails and it is killed). */
    static Ended ended(Process process, Path err, Duration limit) throws Exception {
        try {
            assertThat(process.waitFor(limit.toSeconds(), TimeUnit.SECONDS)).isTrue();
        } finally {
            process.destroyForcibly();
        }
        return new Ended(process.exitValue(), Files.readString(err, StandardCharsets.UTF_8));
    }

    /** Runs a command to its end, its stderr kept in a new file of {@code dir}. */
    static Ended run(List<String> command, Path dir, Duration limit) throws Exception {
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        return ended(start(command, err), err, limit);
    }

    /** The errors said in lines: no stack trace, no exception printed as Java prints it. */
    static void assertNoStackTrace(Ended ended) {
        assertThat(ended.stderr())
                .as(ended.toString())
                .doesNotContain("\tat ")
                .doesNotContain("Caused by:")
                .doesNotContain("Exception in thread")
                .doesNotContainPattern("(?m)^[\\w.$]+(Exception|Error)\\b")
                .doesNotContain("internal error");
    }

    /** Words for {@code bash -c}, each in single quotes: {@code ulimit -f 64 && exec ...}. */
    static String shellWords(List<String> words) {
        List<String> quoted = new ArrayList<>();
        for (String word : words) {
            quoted.add("'" + word.replace("'", "'\\''") + "'");
        }
        return String.join(" ", quoted);
    }

    /**
     * Writes {@code books.yaml} in {@code dir}: a spider of this name that follows every link of
     * the sandbox's hosts and makes the manifest's items (title, price, link), with more fields
     * when given (YAML, one {@code name: {xpath: ...}} each).
     */
    static Path bookSpider(
            Path dir, Sandbox sandbox, String name, int concurrency, String... extraFields)
            throws IOException {
        List<String> quotedStarts = new ArrayList<>();
        for (String url : sandbox.startUrls()) {
            quotedStarts.add("\"" + url + "\"");
        }
        StringBuilder fields = new StringBuilder();
        for (String field : extraFields) {
            fields.append("      ").append(field).append('\n');
        }
        String yaml =
                String.format(
                        Locale.ROOT,
                        """
                        name: %s
                        start_urls: [%s]
                        allowed_domains: [%s]
                        settings:
                          concurrent_requests: %d
                        rules:
                          - follow: true
                        items:
                          - each: "//article[@class='product_pod']"
                            fields:
                              title: {xpath: "h3/a/@title", required: true}
                              price: {xpath: ".//p[@class='price_color']/text()"}
                              link: {xpath: "h3/a/@href", type: url}
                        %s""",
                        name,
                        String.join(", ", quotedStarts),
                        String.join(", ", sandbox.hosts()),
                        concurrency,
                        fields);
        Path spider = dir.resolve("books.yaml");
        Files.writeString(spider, yaml, StandardCharsets.UTF_8);
        return spider;
    }

    /** Pages the sandbox served since its last reset (host and target), robots.txt left out. */
    static List<String> pagesFetched(Sandbox sandbox) {
        List<String> pages = new ArrayList<>();
        for (RequestStart start : sandbox.allHostsLog().starts()) {
            if (!start.path().equals("/robots.txt")) {
                pages.add(start.host() + start.target());
            }
        }
        return pages;
    }

    /** Sends a signal by name ({@code KILL}, {@code INT}, {@code STOP}, {@code CONT}). */
    static void signal(Process process, String name) throws IOException, InterruptedException {
        Process kill =
                new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).as("kill -%s %d", name, process.pid()).isZero();
    }
}
