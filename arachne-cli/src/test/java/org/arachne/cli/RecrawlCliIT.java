package org.arachne.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.arachne.item.export.Feed;
import org.arachne.sandbox.Sandbox;
import org.arachne.sandbox.route.RecrawlRoute;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code arachne crawl --job-dir} run again on a finished job, in-process on the system clock:
 * without {@code recrawl_after} it says the job is finished and exits 0; with it (1 ms, so every
 * page is old enough) it asks the sandbox's {@code /recrawl/} pages again, writes the items of the
 * changed ones only, and its summary says how many pages were due and how many had changed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RecrawlCliIT {
    private Sandbox sandbox;

    @TempDir Path dir;

    @BeforeEach
    void startSandbox() throws IOException {
        sandbox = Sandbox.builder().hosts(List.of("127.0.0.42")).pagesPerHost(2).build().start();
    }

    @AfterEach
    void stopSandbox() {
        sandbox.close();
    }

    private Path spider() throws IOException {
        String yaml =
                """
                name: recrawl
                start_urls: ["START"]
                rules:
                  - follow: true
                items:
                  - fields:
                      title: {css: "h1::text"}
                      version: {css: "p.version::text"}
                """
                        .replace("START", sandbox.uri("/recrawl/").toString());
        Path p = dir.resolve("recrawl.yaml");
        Files.writeString(p, yaml, StandardCharsets.UTF_8);
        return p;
    }

    private Run crawl(Path out, String... more) throws IOException {
        List<String> args =
                new java.util.ArrayList<>(
                        List.of(
                                "crawl",
                                spider().toString(),
                                "--job-dir",
                                dir.resolve("job").toString(),
                                "-o",
                                out.toString()));
        args.addAll(List.of(more));
        return Run.of(args.toArray(String[]::new));
    }

    private static List<Object> titles(Path out) throws IOException {
        return OutputFiles.readItems(Feed.of(out, false)).stream()
                .map(item -> item.get("title"))
                .toList();
    }

    @Test
    void finishedJob_againSaysFinished_andWithRecrawlAfterGivesTheChangedPagesOnly()
            throws IOException {
        Run first = crawl(dir.resolve("first.jsonl"));
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(titles(dir.resolve("first.jsonl"))).hasSize(RecrawlRoute.PAGES + 1);

        Run again = crawl(dir.resolve("again.jsonl"));
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.err()).contains("finished in an earlier run");
        assertThat(titles(dir.resolve("again.jsonl"))).isEmpty();

        sandbox.recrawlRoute().change(4);
        Path changed = dir.resolve("changed.jsonl");
        Run recrawl = crawl(changed, "-s", "recrawl_after=1ms");
        assertThat(recrawl.exitCode()).as(recrawl.toString()).isZero();
        assertThat(titles(changed)).containsExactlyInAnyOrder("Page 4", "Page 4 v2");
        assertThat(sandbox.recrawlRoute().notModified()).isEqualTo(RecrawlRoute.PAGES);
        // the summary says what the recrawl found; the runs before made none and say nothing
        assertThat(recrawl.err())
                .contains(
                        "  recrawl               "
                                + (RecrawlRoute.PAGES + 1)
                                + " pages due, "
                                + RecrawlRoute.PAGES
                                + " not modified (304), 0 unchanged, 1 changed\n");
        assertThat(first.err()).doesNotContain("  recrawl ");
        assertThat(again.err()).doesNotContain("  recrawl ");
    }
}
