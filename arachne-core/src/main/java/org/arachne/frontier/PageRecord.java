package org.arachne.frontier;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.arachne.http.Request;
import org.jspecify.annotations.Nullable;

/**
 * What a job dir remembers of a page it fetched: when, and what tells a later fetch whether the
 * page changed (its validators and a hash of its body). A request that a recrawl queues again
 * carries it in its meta under {@link #META}, so the conditional request stage can ask the server
 * "changed since?" and the response stage can tell a changed page from an unchanged one; the
 * request is a plain value still, kept in the queue like any other. Immutable.
 *
 * @param fetchedAt when the page was last fetched (or revalidated), on the crawl's clock
 * @param etag its {@code ETag} then, or null
 * @param lastModified its {@code Last-Modified} then, as the server sent it, or null
 * @param contentHash {@link FetchedPage#contentHash(org.arachne.http.Body)} of its body, or null
 */
public record PageRecord(
        Instant fetchedAt,
        @Nullable String etag,
        @Nullable String lastModified,
        @Nullable String contentHash) {

    /** The meta key of a request queued again by a recrawl: the page's record, as a map. */
    public static final String META = "recrawl";

    public PageRecord {
        Objects.requireNonNull(fetchedAt, "fetchedAt");
    }

    /** The record as request meta: {@code fetched_at}, {@code etag}, {@code last_modified}, ... */
    public Map<String, Object> toMeta() {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("fetched_at", fetchedAt.toString());
        if (etag != null) {
            meta.put("etag", etag);
        }
        if (lastModified != null) {
            meta.put("last_modified", lastModified);
        }
        if (contentHash != null) {
            meta.put("content_hash", contentHash);
        }
        return meta;
    }

    /**
     * The record a request carries in its meta, or null when it carries none (it is no recrawl) or
     * one this code cannot read.
     */
    public static @Nullable PageRecord of(Request request) {
        if (!(request.meta(META) instanceof Map<?, ?> meta)
                || !(meta.get("fetched_at") instanceof String fetchedAt)) {
            return null;
        }
        try {
            return new PageRecord(
                    Instant.parse(fetchedAt),
                    text(meta.get("etag")),
                    text(meta.get("last_modified")),
                    text(meta.get("content_hash")));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static @Nullable String text(@Nullable Object value) {
        return value instanceof String s ? s : null;
    }
}
