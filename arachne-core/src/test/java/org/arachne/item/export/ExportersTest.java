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

class ExportersTest {
    @TempDir Path dir;

    private static void write(Feed feed, Item... items) throws IOException {
        try (Exporter exporter = Exporters.open(feed)) {
            for (Item item : items) {
                exporter.export(item);
            }
        }
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    @Test
    void json_arrayWithChineseTextKeptAsIs() throws IOException {
        Path file = dir.resolve("out.json");
        write(
                Feed.of(file, true),
                Item.of("title", "肖申克的救赎", "price", 9.5),
                Item.of("title", "Tom & \"Jerry\"", "tags", List.of("a", "b")));

        String text = read(file);
        assertThat(text)
                .isEqualTo(
                        "[\n{\"title\":\"肖申克的救赎\",\"price\":9.5},\n"
                                + "{\"title\":\"Tom & \\\"Jerry\\\"\",\"tags\":[\"a\",\"b\"]}\n]\n");
        List<?> parsed = new ObjectMapper().readValue(text, List.class);
        assertThat(parsed).hasSize(2);
        assertThat(((Map<?, ?>) parsed.get(0)).get("title")).isEqualTo("肖申克的救赎");
    }

    @Test
    void json_noItems_isAnEmptyArray() throws IOException {
        Path file = dir.resolve("empty.json");
        write(Feed.of(file, true));
        assertThat(new ObjectMapper().readValue(read(file), List.class)).isEmpty();
    }

    @Test
    void json_overwrite_replacesTheFile() throws IOException {
        Path file = dir.resolve("out.json");
        write(Feed.of(file, true), Item.of("n", 1), Item.of("n", 2));
        write(Feed.of(file, true), Item.of("n", 3));
        assertThat(new ObjectMapper().readValue(read(file), List.class))
                .containsExactly(Map.of("n", 3));
    }

    @Test
    void json_appendToExistingArray_isRefusedWithAHint() throws IOException {
        Path file = dir.resolve("out.json");
        write(Feed.of(file, true), Item.of("n", 1));
        assertThatThrownBy(() -> Exporters.open(Feed.of(file, false)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-O")
                .hasMessageContaining(".jsonl");
        assertThat(new ObjectMapper().readValue(read(file), List.class)).hasSize(1);
    }

    @Test
    void json_appendToMissingFile_writesAnArray() throws IOException {
        Path file = dir.resolve("sub/new.json");
        write(Feed.of(file, false), Item.of("n", 1));
        assertThat(new ObjectMapper().readValue(read(file), List.class)).hasSize(1);
    }

    @Test
    void jsonLines_append_addsLines() throws IOException {
        Path file = dir.resolve("out.jsonl");
        write(Feed.of(file, false), Item.of("t", "一"));
        write(Feed.of(file, false), Item.of("t", "二"));
        assertThat(read(file)).isEqualTo("{\"t\":\"一\"}\n{\"t\":\"二\"}\n");
    }

    @Test
    void csv_headerFromFirstItem_quotesCommasQuotesAndKeepsChinese() throws IOException {
        Path file = dir.resolve("out.csv");
        write(
                Feed.of(file, true),
                Item.of("title", "霸王别姬, 1993", "price", 9.6, "note", "Tom & \"Jerry\""),
                Item.of("price", 8, "title", "活着", "note", null));
        assertThat(read(file))
                .isEqualTo(
                        "title,price,note\n"
                                + "\"霸王别姬, 1993\",9.6,\"Tom & \"\"Jerry\"\"\"\n"
                                + "活着,8,\n");
    }

    @Test
    void csv_extraFieldsOfLaterItemsAreDropped_listsAreJsonText() throws IOException {
        Path file = dir.resolve("out.csv");
        write(
                Feed.of(file, true),
                Item.of("title", "a", "tags", List.of("x", "y")),
                Item.of("title", "b", "extra", 1),
                Item.of("title", "c", "extra", 2));
        assertThat(read(file)).isEqualTo("title,tags\na,\"[\"\"x\"\",\"\"y\"\"]\"\nb,\nc,\n");
    }

    @Test
    void csv_withFields_theyAreTheColumns_andLeftOutNamesTheOthers() throws IOException {
        Path file = dir.resolve("out.csv");
        Item extra = Item.of("name", "c", "extra", 1);
        try (Exporter exporter =
                Exporters.open(Feed.of(file, true).withFields(List.of("title", "name")))) {
            exporter.export(Item.of("title", "a"));
            exporter.export(Item.of("name", "b"));
            exporter.export(extra);
            assertThat(exporter.leftOut(extra)).containsExactly("extra");
        }
        assertThat(read(file)).isEqualTo("title,name\na,\n,b\n,c\n");
    }

    @Test
    void csv_appendWithFields_keepsTheExistingHeader() throws IOException {
        Path file = dir.resolve("out.csv");
        write(Feed.of(file, true), Item.of("title", "a"));
        Item item = Item.of("title", "b", "name", "n");
        try (Exporter exporter =
                Exporters.open(Feed.of(file, false).withFields(List.of("title", "name")))) {
            exporter.export(item);
            assertThat(exporter.leftOut(item)).containsExactly("name");
        }
        assertThat(read(file)).isEqualTo("title\na\nb\n");
    }

    @Test
    void jsonLines_withFields_writesOnlyThoseInTheirOrder_absentOnesLeftOut() throws IOException {
        Path file = dir.resolve("out.jsonl");
        Item item = Item.of("a", 1, "b", 2, "c", 3);
        try (Exporter exporter =
                Exporters.open(Feed.of(file, true).withFields(List.of("c", "a", "z")))) {
            exporter.export(item);
            assertThat(exporter.leftOut(item)).containsExactly("b");
        }
        assertThat(read(file)).isEqualTo("{\"c\":3,\"a\":1}\n");
    }

    @Test
    void feed_fieldGivenTwice_isRefused() {
        assertThatThrownBy(() -> Feed.of(dir.resolve("x.csv"), true).withFields(List.of("a", "a")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("twice");
    }

    @Test
    void csv_noItems_isAnEmptyFile() throws IOException {
        Path file = dir.resolve("out.csv");
        write(Feed.of(file, true));
        assertThat(read(file)).isEmpty();
    }

    @Test
    void csv_appendToNonEmptyFile_keepsItsHeaderAndColumns() throws IOException {
        Path file = dir.resolve("out.csv");
        write(Feed.of(file, true), Item.of("title", "a", "price", 1));
        write(Feed.of(file, false), Item.of("price", 2, "title", "b"));
        assertThat(read(file)).isEqualTo("title,price\na,1\nb,2\n");
    }

    @Test
    void csv_overwrite_writesANewHeader() throws IOException {
        Path file = dir.resolve("out.csv");
        write(Feed.of(file, true), Item.of("title", "a"));
        write(Feed.of(file, true), Item.of("name", "b"));
        assertThat(read(file)).isEqualTo("name\nb\n");
    }
}
