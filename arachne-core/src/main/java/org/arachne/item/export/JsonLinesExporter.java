package org.arachne.item.export;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import org.arachne.item.Item;

/**
 * Writes one JSON object per line, UTF-8, with non-ASCII characters kept as they are. Each record
 * and its line break go to the output in one write, so an output that keeps whole records (the feed
 * files) never holds half a line.
 */
public final class JsonLinesExporter implements Exporter {
    private static final ObjectMapper MAPPER =
            new ObjectMapper().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    private final OutputStream out;

    /** Writes to {@code out}, which this exporter closes. */
    public JsonLinesExporter(OutputStream out) {
        this.out = out;
    }

    @Override
    public void export(Item item) throws IOException {
        byte[] json = Exporter.encode(() -> MAPPER.writeValueAsBytes(item.fields()));
        byte[] line = Arrays.copyOf(json, json.length + 1);
        line[json.length] = '\n';
        out.write(line);
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
