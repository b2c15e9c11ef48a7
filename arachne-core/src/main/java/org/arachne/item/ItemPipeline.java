package org.arachne.item;

import org.jspecify.annotations.Nullable;

/**
 * One stage that every item passes through, in the order the pipelines are configured: clean,
 * validate, enrich, store, or drop an item. Called from many threads at once.
 *
 * <p>Delivery: pipelines run on the lease's thread, before the lease's items are committed to the
 * frontier, so a pipeline sees an item at least once: when a crawl resumes after a crash, the
 * responses whose leases had not been committed are fetched and processed again. Only what a
 * pipeline returns is committed, and the feeds write committed items exactly once (the frontier's
 * item outbox). A pipeline that writes elsewhere (a database) should make its writes idempotent: a
 * {@link TransactionalPipeline} gets each item's stable id and is told of each commit.
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
