package org.arachne.engine;

import java.util.Map;

/** A read-only view of a crawl's live counters, for progress displays; keys in {@link StatKeys}. */
public interface StatsView {
    /** The counter's value now; 0 when it was never counted. */
    long get(String key);

    /** A sorted copy of every counter now. */
    Map<String, Long> snapshot();
}
