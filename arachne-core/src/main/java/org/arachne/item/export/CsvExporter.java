package org.arachne.item.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.arachne.item.Item;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes comma-separated values, UTF-8 with non-ASCII characters kept as they are, quoted as RFC
 * 4180 says (values with commas, quotes or line breaks are quoted, quotes doubled).
 *
 * <p>Columns: the field names of the first item, in order, written as a header row; later items are
 * written in that column order, a missing field gives an empty cell, and a field that is not a
 * column is dropped with one warning per field name. When appending to a non-empty file, the
 * columns are those of its existing header and no second header is written.
 *
 * <p>Values: strings, numbers and booleans as they are, null as an empty cell, lists and maps as
 * JSON text ({@code ["a","b"]}), so that nothing is lost and a cell holding a list can be read back
 * with any JSON parser. An empty output (no item) is an empty file.
 */
public final class CsvExporter implements Exporter {
    private static final Logger LOG = LoggerFactory.getLogger(CsvExporter.class);
    private static final CsvMapper CSV = new CsvMapper();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OutputStream out;
    private @Nullable List<String> columns;
    private final boolean writeHeader;
    private @Nullable ObjectWriter rows;
    private final Set<String> dropped = new HashSet<>();

    /**
     * Writes to {@code out}, which this exporter closes.
     *
     * @param existingColumns the header of the file appended to, or null for a new or empty file
     *     (the first item's fields become the header)
     */
    public CsvExporter(OutputStream out, @Nullable List<String> existingColumns) {
        this.out = out;
        this.columns = existingColumns == null ? null : List.copyOf(existingColumns);
        this.writeHeader = existingColumns == null;
    }

    /**
     * Reads the header row of a CSV file's first line.
     *
     * @throws IOException when the line cannot be parsed
     */
    static List<String> parseHeader(String firstLine) throws IOException {
        List<String> names = new ArrayList<>();
        try (var it =
                CSV.readerForListOf(String.class)
                        .with(CsvParser.Feature.WRAP_AS_ARRAY)
                        .<List<String>>readValues(firstLine)) {
            if (it.hasNext()) {
                names.addAll(it.next());
            }
        }
        return names;
    }

    @Override
    public void export(Item item) throws IOException {
        if (rows == null) {
            List<String> cols = columns == null ? List.copyOf(item.fields().keySet()) : columns;
            columns = cols;
            CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(false);
            cols.forEach(schema::addColumn);
            rows = CSV.writer(schema.build());
            if (writeHeader) {
                out.write(rows.writeValueAsBytes(cols.toArray(String[]::new)));
            }
        }
        List<String> cols = columns;
        String[] row = new String[cols.size()];
        for (int i = 0; i < row.length; i++) {
            row[i] = cell(item.get(cols.get(i)));
        }
        for (String field : item.fields().keySet()) {
            if (!cols.contains(field) && dropped.add(field)) {
                LOG.warn(
                        "CSV output has no column '{}' (columns come from the first item: {});"
                                + " the field is dropped, use .jsonl to keep every field",
                        field,
                        cols);
            }
        }
        ObjectWriter writer = rows;
        out.write(Exporter.encode(() -> writer.writeValueAsBytes(row))); // one write per row
    }

    private static String cell(@Nullable Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof List<?> || value instanceof Map<?, ?>) {
            return new String(
                    Exporter.encode(() -> JSON.writeValueAsBytes(value)), StandardCharsets.UTF_8);
        }
        return String.valueOf(value);
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
