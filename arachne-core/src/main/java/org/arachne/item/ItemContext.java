package org.arachne.item;

import java.util.Objects;

/**
 * Where an item came from, with an id that stays the same however often its request is fetched
 * again (after a crash, a lost lease, a recrawl), so that a pipeline writing elsewhere can make its
 * writes idempotent: an upsert keyed by {@link #itemId()}. Given to a {@link TransactionalPipeline}
 * with each item; the engine never puts the id into the item's fields (copy it in with {@link
 * Item#with} to have it in the feeds).
 *
 * <p>The id is made of the request's fingerprint (SHA-1 of its method, canonical URL and body, as
 * the frontier deduplicates by) and the item's index among the items its callback produced for the
 * response, counted before any pipeline dropped one. Two requests with one fingerprint (one page
 * asked for twice with {@code dont_filter}) give their items the same ids; the items of a page
 * whose callback yields them in another order than before get the ids of the place they now have.
 *
 * @param requestFingerprint the leased request's fingerprint, 32 lower-case hex digits
 * @param index the item's place among its response's items, from 0
 * @param url the leased request's URL, credentials included (items are data)
 */
public record ItemContext(String requestFingerprint, int index, String url) {
    public ItemContext {
        Objects.requireNonNull(requestFingerprint, "requestFingerprint");
        Objects.requireNonNull(url, "url");
        if (index < 0) {
            throw new IllegalArgumentException("an item's index is at least 0, got " + index);
        }
    }

    /** The item's stable id: {@code <requestFingerprint>-<index>}, e.g. {@code 3f0c...9a-2}. */
    public String itemId() {
        return requestFingerprint + "-" + index;
    }
}
