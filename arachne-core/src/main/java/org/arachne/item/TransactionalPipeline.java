package org.arachne.item;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A pipeline that writes items elsewhere (a database, a queue) and takes part in the commit of the
 * response they came from, so that its writes can be exactly-once in effect although it sees an
 * item at least once: it gets each item with its {@link ItemContext} (a stable {@link
 * ItemContext#itemId() id}), is told {@link #beforeCommit before} the frontier commits a response's
 * items and once they are {@link #committed}.
 *
 * <p>The recipe: write each item keyed by its id (an upsert) in {@link #process(Item,
 * ItemContext)}, or gather the response's items there and write them in one transaction in {@link
 * #beforeCommit}. Either way the writes are done before the frontier's commit, so a kill at any
 * moment loses none: the request of a response not committed is fetched again (in this run, or in
 * the next one with a job dir) and its items come again with the same ids, which the upsert writes
 * over. {@link #committed} says those ids will not come again, for what may be skipped after a kill
 * (forgetting what was gathered, a notification).
 *
 * <p>Lifecycle and threads: {@code process} for each item of a response, then {@code beforeCommit}
 * and, once the commit is accepted, {@code committed}, all on that response's thread, in that
 * order; other responses run at the same time on other threads. {@link #open} and {@link #close} as
 * for every pipeline.
 *
 * <p>Errors: an exception from {@code process} drops the item, as in {@link ItemPipeline}; one from
 * {@code beforeCommit} or {@code committed} is counted as a {@code pipeline} error and logged with
 * the URL, and the crawl goes on (the response's items still reach the feeds).
 */
@FunctionalInterface
public interface TransactionalPipeline extends ItemPipeline {

    /**
     * Processes an item, knowing where it came from.
     *
     * @return the item to pass on (the same or a changed copy), or null to drop it
     * @throws Exception to report an error; the item is then dropped and the error counted
     */
    @Nullable Item process(Item item, ItemContext context) throws Exception;

    /**
     * Not called by the engine, which gives this pipeline every item with its context.
     *
     * @throws UnsupportedOperationException always: an item's id cannot be made up here
     */
    @Override
    default @Nullable Item process(Item item) throws Exception {
        throw new UnsupportedOperationException(
                "a TransactionalPipeline needs the item's context: call process(item, context)");
    }

    /**
     * Called once a response's items have passed every pipeline, before the frontier commits them,
     * with the items this pipeline processed for it (passed on or dropped, not those it threw on),
     * in their order; not called when it processed none. Write here what {@code process} kept back.
     * When this throws, {@link #committed} is not called for these items.
     */
    default void beforeCommit(List<ItemContext> items) throws Exception {}

    /**
     * Called once the frontier accepted the commit of a response's items, with the same items as
     * {@link #beforeCommit}: their request is done, and no crash gives them again (a later recrawl
     * of the page may). Not called when the commit was refused or failed (the request is then
     * fetched again, and its items come again with the same ids), nor when the process dies between
     * the commit and this call.
     */
    default void committed(List<ItemContext> items) throws Exception {}
}
