package org.arachne.spider;

import java.util.Map;
import org.arachne.http.Request;
import org.arachne.item.Item;

/**
 * Where a callback sends what it found in one response: items, and requests to crawl. Links are
 * resolved against the response URL. Not thread-safe: use it only from the callback it was given
 * to, and only until the callback returns.
 */
public interface Output {

    /** Emits an item. */
    void item(Item item);

    /** Emits an item made of these fields, in the map's order. */
    default void item(Map<String, ?> fields) {
        item(Item.of(fields));
    }

    /** Emits a request; its depth is set to one more than the response's request. */
    void request(Request request);

    /**
     * Follows a link (relative or absolute) with the given callback. Links that are not http(s)
     * (mailto:, javascript:) or cannot be resolved are counted and skipped.
     */
    void follow(String href, Callback callback);

    /** Follows a link with the callback of the current response. */
    void follow(String href);

    /**
     * Adds {@code amount} to a counter of the spider's own in the crawl's stats, under {@code
     * spider/} + key (for example items a spider chose to drop), so that nothing a spider skips
     * goes unseen.
     */
    void count(String key, long amount);
}
