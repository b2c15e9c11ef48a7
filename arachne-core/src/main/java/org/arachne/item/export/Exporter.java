package org.arachne.item.export;

import java.io.IOException;
import org.arachne.item.Item;

/**
 * Writes items to one output in one format. The engine calls {@link #export} from one thread at a
 * time and {@link #close} exactly once, on every way a crawl ends, so that the output is complete
 * and well-formed (a JSON array is closed, buffers are flushed).
 */
public interface Exporter extends AutoCloseable {

    /** Writes one item. */
    void export(Item item) throws IOException;

    /** Flushes what is buffered to the output, without closing it. */
    void flush() throws IOException;

    /** Finishes the output (closing brackets, flush) and releases it. */
    @Override
    void close() throws IOException;
}
