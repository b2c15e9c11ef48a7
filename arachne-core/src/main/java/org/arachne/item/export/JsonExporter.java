package org.arachne.item.export;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.arachne.item.Item;

/**
 * Writes one JSON array of objects, UTF-8, with non-ASCII characters kept as they are: {@code [}
 * when opened, one object per line separated by {@code ,\n}, {@code ]} when closed, so the file is
 * valid JSON also when no item was written. A JSON array cannot be appended to; {@link
 * Exporters#open} refuses to append to a non-empty {@code .json} file.
 */
public final class JsonExporter implements Exporter {
    private static final ObjectMapper MAPPER =
            new ObjectMapper().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    private static final byte[] OPENING = {'['};

    private final OutputStream out;
    private boolean first = true;

    /**
     * Writes the opening bracket to {@code out}, which this exporter closes.
     *
     * @throws IOException when the bracket cannot be written
     */
    public JsonExporter(OutputStream out) throws IOException {
        this.out = out;
        out.write(OPENING);
    }

    private JsonExporter(OutputStream out, boolean first) {
        this.out = out;
        this.first = first;
    }

    /**
     * Goes on with an array an earlier run of the job began, cut back to {@code position} bytes
     * (its opening bracket and whole objects, without the closing bracket).
     */
    static JsonExporter continuing(OutputStream out, long position) throws IOException {
        return position == 0
                ? new JsonExporter(out)
                : new JsonExporter(out, position <= OPENING.length);
    }

    @Override
    public void export(Item item) throws IOException {
        byte[] separator = (first ? "\n" : ",\n").getBytes(StandardCharsets.UTF_8);
        byte[] json = Exporter.encode(() -> MAPPER.writeValueAsBytes(item.fields()));
        byte[] record = Arrays.copyOf(separator, separator.length + json.length);
        System.arraycopy(json, 0, record, separator.length, json.length);
        out.write(record); // one write: the separator and its object stay together
        first = false;
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        try (out) {
            out.write((first ? "]\n" : "\n]\n").getBytes(StandardCharsets.UTF_8));
        }
    }
}
