package org.arachne.cli;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.arachne.item.export.Feed;

/** Reads the items of a feed file back, in any of the three formats, to check a crawl's output. */
final class OutputFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private OutputFiles() {}

    /**
     * Every item in the file, as field maps (CSV cells are strings).
     *
     * @throws IOException when the file cannot be read or parsed
     */
    static List<Map<String, Object>> readItems(Feed feed) throws IOException {
        List<Map<String, Object>> items = new ArrayList<>();
        switch (feed.format()) {
            case JSON_LINES -> {
                try (BufferedReader reader =
                        Files.newBufferedReader(feed.path(), StandardCharsets.UTF_8)) {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        if (!line.isBlank()) {
                            items.add(map(JSON.readValue(line, Map.class)));
                        }
                    }
                }
            }
            case JSON -> {
                for (Object o : JSON.readValue(feed.path().toFile(), List.class)) {
                    items.add(map(o));
                }
            }
            case CSV -> {
                try (BufferedReader reader =
                                Files.newBufferedReader(feed.path(), StandardCharsets.UTF_8);
                        MappingIterator<Map<String, Object>> rows =
                                new CsvMapper()
                                        .readerForMapOf(Object.class)
                                        .with(CsvSchema.emptySchema().withHeader())
                                        .readValues(reader)) {
                    while (rows.hasNext()) {
                        items.add(rows.next());
                    }
                }
            }
        }
        return items;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) throws IOException {
        if (value instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new IOException("expected a JSON object per item, found: " + value);
    }
}
