package org.arachne.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.arachne.sandbox.Sandbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An output that cannot grow (here a file-size limit, {@code ulimit -f}, as a full disk would): the
 * crawl stops with its own exit code, the file ends on a whole record, and the stats count only the
 * items the file holds (#9: before, every item failed silently and the summary counted them all).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OutputLimitsIT {
    private static final String HOST = "127.0.0.73";
    private static Sandbox sandbox;

    @TempDir Path dir;

    @BeforeAll
    static void startSandbox() throws IOException {
        sandbox = Sandbox.builder().hosts(List.of(HOST)).pagesPerHost(300).build().start();
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    @Test
    void fileSizeLimit_stopsTheCrawl_withWholeRecordsAndHonestStats() throws Exception {
        Path spider = dir.resolve("books.yaml");
        Files.writeString(
                spider,
                CliTest.GOOD_SPIDER.replace(
                        "[\"http://127.0.0.11:1/\"]", "[\"" + sandbox.baseUrl(HOST) + "\"]"),
                StandardCharsets.UTF_8);
        Path out = dir.resolve("books.jsonl");
        Path stats = dir.resolve("stats.json");
        Path err = dir.resolve("err.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command =
                "ulimit -f 24 && exec '"
                        + java
                        + "' -cp '"
                        + System.getProperty("java.class.path")
                        + "' org.arachne.cli.Main crawl '"
                        + spider
                        + "' -O '"
                        + out
                        + "' --stats-json '"
                        + stats
                        + "'";
        Process process =
                new ProcessBuilder("bash", "-c", command)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(err.toFile())
                        .start();
        try {
            assertThat(process.waitFor(90, TimeUnit.SECONDS)).isTrue();
        } finally {
            process.destroyForcibly();
        }
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(stderr).isEqualTo(ExitCodes.OUTPUT_FAILED);
        assertThat(stderr).contains("File too large");

        byte[] bytes = Files.readAllBytes(out);
        assertThat(bytes.length).isPositive().isLessThanOrEqualTo(24 * 1024);
        assertThat(bytes[bytes.length - 1]).as("ends on a whole record").isEqualTo((byte) '\n');
        ObjectMapper json = new ObjectMapper();
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        for (String line : lines) {
            assertThat(json.readTree(line).get("title")).as(line).isNotNull();
        }
        JsonNode result = json.readTree(stats.toFile());
        assertThat(result.get("stats").get("item_scraped_count").asLong())
                .as("only what the file holds")
                .isLessThanOrEqualTo(lines.size());
    }
}
