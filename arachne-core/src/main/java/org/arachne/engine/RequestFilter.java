package org.arachne.engine;

import java.util.ArrayList;
import java.util.List;
import org.arachne.http.Request;
import org.arachne.middleware.OffsiteFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops requests outside {@code allowed_domains}, deeper than {@code depth_limit} or with a URL
 * longer than {@code url_length_limit} before they reach the frontier (a link trap of ever longer
 * URLs would otherwise fill the queue with bytes), counting them as {@code offsite/filtered},
 * {@code depth/filtered} and {@code urllength/request_ignored_count}.
 */
final class RequestFilter {
    private static final Logger LOG = LoggerFactory.getLogger(RequestFilter.class);

    private final OffsiteFilter offsite;
    private final int depthLimit;
    private final int urlLengthLimit;
    private final Stats stats;

    /**
     * @param depthLimit 0 for none
     * @param urlLengthLimit in characters, 0 for none
     */
    RequestFilter(OffsiteFilter offsite, int depthLimit, int urlLengthLimit, Stats stats) {
        this.offsite = offsite;
        this.depthLimit = depthLimit;
        this.urlLengthLimit = urlLengthLimit;
        this.stats = stats;
    }

    List<Request> apply(List<Request> requests) {
        List<Request> kept = new ArrayList<>(requests.size());
        for (Request r : requests) {
            if (urlLengthLimit > 0 && r.url().length() > urlLengthLimit) {
                stats.inc(StatKeys.URL_LENGTH_FILTERED);
                LOG.debug(
                        "dropping a URL of {} characters (url_length_limit {}): {}...",
                        r.url().length(),
                        urlLengthLimit,
                        r.url().substring(0, Math.min(200, r.url().length())));
            } else if (depthLimit > 0 && r.depth() > depthLimit) {
                stats.inc(StatKeys.DEPTH_FILTERED);
            } else if (!offsite.allows(r)) {
                stats.inc(StatKeys.OFFSITE_FILTERED);
            } else {
                kept.add(r);
            }
        }
        return kept;
    }
}
