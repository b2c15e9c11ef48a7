package org.arachne.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.arachne.item.export.Feed;
import org.arachne.sandbox.Sandbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code arachne demo} end to end, in-process: sandbox, bundled spider, crawl, manifest check. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DemoIT {
    @TempDir Path dir;

    @Test
    void demo_exits0_andItsOutputMatchesTheSandboxManifest() throws IOException {
        Path output = dir.resolve("demo-output/books.jsonl");
        Run run = Run.of("demo", "-O", output.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        Matcher m =
                Pattern.compile("output matches the sandbox manifest: (\\d+) items")
                        .matcher(run.err());
        assertThat(m.find()).as(run.toString()).isTrue();
        long items = Long.parseLong(m.group(1));
        assertThat(items).isGreaterThan(1000);
        assertThat(Files.readAllLines(output, StandardCharsets.UTF_8)).hasSize((int) items);
        assertThat(run.err())
                .contains("sandbox: 4 hosts x 300 pages")
                .contains("crawl finished (finished)")
                .contains("items are in " + output.toAbsolutePath().normalize());
    }

    @Test
    void check_reportsWhatDiffers() throws IOException {
        try (Sandbox sandbox = Sandbox.builder().hosts(1).pagesPerHost(2).port(0).build().start()) {
            Path file = dir.resolve("few.jsonl");
            Files.writeString(
                    file,
                    "{\"title\":\"a\",\"price\":\"£1.00\",\"link\":\"http://x/\"}\n",
                    StandardCharsets.UTF_8);
            StringWriter err = new StringWriter();
            boolean matches =
                    DemoCommand.check(
                            Feed.of(file, true), sandbox.manifest(), new PrintWriter(err, true));
            assertThat(matches).isFalse();
            assertThat(err.toString())
                    .contains("output differs from the sandbox manifest: 1 items (expected ")
                    .contains("items hash");
        }
    }
}
