package org.arachne.engine;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.arachne.item.Item;
import org.arachne.item.ItemContext;
import org.arachne.item.TransactionalPipeline;
import org.jspecify.annotations.Nullable;

/**
 * A transactional pipeline that passes every item on and records what it was given: each item's
 * context, and the lists of each {@code beforeCommit} and {@code committed}. It can be told to
 * throw in either hook.
 */
final class RecordingTransactionalPipeline implements TransactionalPipeline {
    final List<ItemContext> processed = new CopyOnWriteArrayList<>();
    final List<List<ItemContext>> prepared = new CopyOnWriteArrayList<>();
    final List<List<ItemContext>> committed = new CopyOnWriteArrayList<>();
    volatile boolean throwBeforeCommit;
    volatile boolean throwWhenCommitted;

    @Override
    public @Nullable Item process(Item item, ItemContext context) {
        processed.add(context);
        return item;
    }

    @Override
    public void beforeCommit(List<ItemContext> items) {
        prepared.add(items);
        if (throwBeforeCommit) {
            throw new IllegalStateException("cannot write the batch");
        }
    }

    @Override
    public void committed(List<ItemContext> items) {
        committed.add(items);
        if (throwWhenCommitted) {
            throw new IllegalStateException("cannot flush");
        }
    }

    /** The ids of every item processed, in order. */
    List<String> processedIds() {
        return processed.stream().map(ItemContext::itemId).toList();
    }

    /** The ids of every item told committed, in order. */
    List<String> committedIds() {
        return committed.stream().flatMap(List::stream).map(ItemContext::itemId).toList();
    }
}
