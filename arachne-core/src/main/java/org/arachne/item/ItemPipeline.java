package org.arachne.item;

import org.jspecify.annotations.Nullable;

/**
 * One stage that every item passes through, in the order the pipelines are configured: clean,
 * validate, enrich, store, or drop an item. Called from many threads at once.
 */
@FunctionalInterface
public interface ItemPipeline {

    /**
     * Processes an item.
     *
     * @return the item to pass on (the same or a changed copy), or null to drop it; a dropped item
     *     is counted in stats as {@code item_dropped_count}
     * @throws Exception to report an error; the item is then dropped and the error counted, and the
     *     crawl goes on
     */
    @Nullable Item process(Item item) throws Exception;

    /** Called once before the first item. */
    default void open() throws Exception {}

    /** Called once after the last item, on every way the crawl ends. */
    default void close() throws Exception {}
}
