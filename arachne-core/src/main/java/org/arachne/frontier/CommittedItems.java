package org.arachne.frontier;

import java.util.List;
import java.util.Objects;
import org.arachne.http.Request;
import org.arachne.item.Item;

/**
 * The items one done lease committed to the frontier's item outbox, in the order its callback
 * produced them.
 *
 * @param sequence the commit's place in the outbox, increasing; acknowledged by the feed writer
 * @param source the request whose response produced the items
 * @param items the items, never empty
 */
public record CommittedItems(long sequence, Request source, List<Item> items) {
    public CommittedItems {
        Objects.requireNonNull(source, "source");
        items = List.copyOf(items);
    }
}
