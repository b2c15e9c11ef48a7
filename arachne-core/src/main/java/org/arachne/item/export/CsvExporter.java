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
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.arachne.item.Item;
import org.jspecify.annotations.Nullable;

/**
 * Writes comma-separated values, UTF-8 with non-ASCII characters kept as they are, quoted as RFC
 * 4180 says (values with commas, quotes or line breaks are quoted, quotes doubled).
 *
 * <p>Columns: those given (a feed's {@link Feed#fields() fields}: {@code feed_export_fields}, or
 * every field a YAML spider's item blocks declare), else the field names of the first item, in
 * order; written as a header row, once. Every item is written in that column order, a missing field
 * giving an empty cell; a field that is not a column is left out, and {@link #leftOut} names it
 * (the engine counts and warns). When appending to a non-empty file, the columns are those of its
 * existing header and no second header is written.
 *
 * <p>Values: strings, numbers and booleans as they are, null as an empty cell, lists and maps as
 * JSON text ({@code ["a","b"]}), so that nothing is lost and a cell holding a list can be read back
 * with any JSON parser. An empty output (no item) is an empty file. Each row is one write, so a
 * {@link RecordFile} keeps it whole.
 */
public final class CsvExporter implements Exporter {
    private static final CsvMapper CSV = new CsvMapper();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OutputStream out;
    private final boolean writeHeader;
    private @Nullable List<String> columns;
    private Set<String> columnSet = Set.of();
    private @Nullable ObjectWriter rows;

    /**
     * Writes to {@code out}, which this exporter closes, starting with a header row.
     *
     * @param columns the columns, or null for the first item's fields
     */
    public CsvExporter(OutputStream out, @Nullable List<String> columns) {
        this(out, columns, true);
    }

    private CsvExporter(OutputStream out, @Nullable List<String> columns, boolean writeHeader) {
        this.out = out;
        this.columns = columns == null ? null : List.copyOf(columns);
        this.writeHeader = writeHeader;
    }

    /** Writes rows after the existing header of a file, in its columns, and no header. */
    static CsvExporter appending(OutputStream out, List<String> header) {
        return new CsvExporter(out, header, false);
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
            columnSet = Set.copyOf(cols);
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
        ObjectWriter writer = rows;
        out.write(Exporter.encode(() -> writer.writeValueAsBytes(row))); // one write per row
    }

    /** The item's fields that are not columns, in the item's order. */
    @Override
    public List<String> leftOut(Item item) {
        List<String> left = null;
        for (String field : item.fields().keySet()) {
            if (!columnSet.contains(field)) {
                if (left == null) {
                    left = new ArrayList<>(2);
                }
                left.add(field);
            }
        }
        return left == null ? List.of() : left;
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
