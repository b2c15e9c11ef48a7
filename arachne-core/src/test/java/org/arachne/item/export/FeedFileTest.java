package org.arachne.item.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.arachne.item.Item;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Resuming a feed where a job acknowledged it: whatever the earlier run wrote after the recorded
 * position (items given again on resume, a JSON array's closing bracket) is cut off, and the file
 * goes on valid, each item once.
 */
class FeedFileTest {
    @TempDir Path dir;

    private Path file(FeedFormat format) {
        return dir.resolve(
                switch (format) {
                    case JSON_LINES -> "out.jsonl";
                    case JSON -> "out.json";
                    case CSV -> "out.csv";
                });
    }

    /** The items of a file as maps, whatever its format. */
    private static List<Map<String, Object>> items(Path file, FeedFormat format)
            throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        ObjectMapper json = new ObjectMapper();
        return switch (format) {
            case JSON ->
                    json.readValue(
                            text,
                            json.getTypeFactory().constructCollectionType(List.class, Map.class));
            case JSON_LINES ->
                    text.lines()
                            .map(
                                    line -> {
                                        try {
                                            return (Map<String, Object>)
                                                    json.readValue(line, Map.class);
                                        } catch (IOException e) {
                                            throw new AssertionError(line, e);
                                        }
                                    })
                            .toList();
            case CSV -> {
                List<String> lines = text.lines().toList();
                assertThat(lines.get(0)).isEqualTo("n");
                yield lines.stream()
                        .skip(1)
                        .map(n -> Map.<String, Object>of("n", Integer.parseInt(n)))
                        .toList();
            }
        };
    }

    @ParameterizedTest
    @EnumSource(FeedFormat.class)
    void resume_cutsBackToThePosition_andGoesOnWithEachItemOnce(FeedFormat format)
            throws IOException {
        Feed feed = new Feed(file(format), format, true);
        long acknowledged;
        try (FeedFile first = Exporters.open(feed)) {
            first.export(Item.of("n", 1));
            first.export(Item.of("n", 2));
            first.sync();
            acknowledged = first.position();
            first.export(Item.of("n", 3)); // written, never acknowledged: given again
        }
        assertThat(Files.size(feed.path())).isGreaterThan(acknowledged);

        try (FeedFile resumed = Exporters.resume(feed, acknowledged)) {
            resumed.export(Item.of("n", 3));
            resumed.export(Item.of("n", 4));
        }

        assertThat(items(feed.path(), format))
                .extracting(m -> ((Number) m.get("n")).intValue())
                .containsExactly(1, 2, 3, 4);
    }

    @ParameterizedTest
    @EnumSource(FeedFormat.class)
    void resume_beforeAnyItem_writesAValidFile(FeedFormat format) throws IOException {
        Feed feed = new Feed(file(format), format, true);
        long acknowledged;
        try (FeedFile first = Exporters.open(feed)) {
            first.flush();
            acknowledged = first.position();
        }
        try (FeedFile resumed = Exporters.resume(feed, acknowledged)) {
            resumed.export(Item.of("n", 7));
        }
        assertThat(items(feed.path(), format))
                .extracting(m -> ((Number) m.get("n")).intValue())
                .containsExactly(7);
    }

    @Test
    void resume_ignoresOverwrite_soAResumedJobKeepsItsItems() throws IOException {
        Feed overwriting = Feed.of(dir.resolve("out.jsonl"), true);
        long acknowledged;
        try (FeedFile first = Exporters.open(overwriting)) {
            first.export(Item.of("n", 1));
            first.flush();
            acknowledged = first.position();
        }
        try (FeedFile resumed = Exporters.resume(overwriting, acknowledged)) {
            resumed.export(Item.of("n", 2));
        }
        assertThat(Files.readString(overwriting.path())).isEqualTo("{\"n\":1}\n{\"n\":2}\n");
    }

    @Test
    void resumedCsv_withFieldsAddedSince_keepsItsHeader_andSaysWhichFieldsItLeavesOut()
            throws IOException {
        Path file = dir.resolve("out.csv");
        long acknowledged;
        try (FeedFile first = Exporters.open(Feed.of(file, false).withFields(List.of("n")))) {
            assertThat(first.keptHeader()).as("a new file").isNull();
            first.export(Item.of("n", 1));
            first.flush();
            acknowledged = first.position();
        }
        // the job resumed with a spider that declares one more field
        Item changed = Item.of("n", 2, "rating", "Three");
        try (FeedFile resumed =
                Exporters.resume(
                        Feed.of(file, false).withFields(List.of("n", "rating")), acknowledged)) {
            assertThat(resumed.keptHeader()).containsExactly("n");
            resumed.export(changed);
            assertThat(resumed.leftOut(changed)).containsExactly("rating");
        }
        assertThat(Files.readString(file)).isEqualTo("n\n1\n2\n");
    }

    @Test
    void resume_ofAFileShorterThanThePosition_isRefusedAndLeavesItAlone() throws IOException {
        Path path = dir.resolve("out.jsonl");
        Files.writeString(path, "{\"n\":1}\n");
        Feed feed = Feed.of(path, false);

        assertThatThrownBy(() -> Exporters.resume(feed, 100))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("holds 8 bytes, but the job had written 100");
        assertThat(Files.readString(path)).isEqualTo("{\"n\":1}\n");
        assertThatThrownBy(() -> Exporters.resume(Feed.of(dir.resolve("gone.jsonl"), false), 8))
                .isInstanceOf(IOException.class);
    }

    @Test
    void key_isTheAbsoluteNormalisedPath() {
        Feed relative = Feed.of(Path.of("a/../out.jsonl"), false);
        assertThat(FeedFile.key(relative))
                .isEqualTo(Path.of("out.jsonl").toAbsolutePath().toString());
    }
}
