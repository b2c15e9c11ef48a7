package org.arachne.item.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.util.List;
import org.arachne.item.Item;

/**
 * Writes items to one output in one format. The engine calls {@link #export} from one thread at a
 * time and {@link #close} exactly once, on every way a crawl ends, so that the output is complete
 * and well-formed (a JSON array is closed, buffers are flushed).
 */
public interface Exporter extends AutoCloseable {

    /**
     * Writes one item.
     *
     * @throws IOException when the output cannot be written (a full disk): the feed is done
     * @throws IllegalArgumentException when this item cannot be encoded in the format: it alone is
     *     skipped
     */
    void export(Item item) throws IOException;

    /**
     * The fields of an item just {@linkplain #export exported} that the output left out, having no
     * place for them: those that are not a column of a CSV file, or not among a feed's {@link
     * Feed#fields() fields}. Empty by default (the output keeps every field). The engine counts
     * them and warns once per field, so that no field is dropped silently.
     */
    default List<String> leftOut(Item item) {
        return List.of();
    }

    /** The bytes of one record, as an encoder makes them. */
    @FunctionalInterface
    interface Encoding {
        byte[] bytes() throws JsonProcessingException;
    }

    /**
     * Encodes one record; an item the encoder refuses is an {@link IllegalArgumentException}, not
     * an {@link IOException} (which is kept for an output that cannot be written).
     */
    static byte[] encode(Encoding encoding) {
        try {
            return encoding.bytes();
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "cannot encode the item: " + e.getOriginalMessage(), e);
        }
    }

    /** Flushes what is buffered to the output, without closing it. */
    void flush() throws IOException;

    /** Finishes the output (closing brackets, flush) and releases it. */
    @Override
    void close() throws IOException;
}
