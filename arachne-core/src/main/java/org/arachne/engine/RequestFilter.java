package org.arachne.engine;

import java.util.ArrayList;
import java.util.List;
import org.arachne.http.Request;
import org.arachne.middleware.OffsiteFilter;

/**
 * Drops requests outside {@code allowed_domains} or deeper than {@code depth_limit} before they
 * reach the frontier, counting them as {@code offsite/filtered} and {@code depth/filtered}.
 */
final class RequestFilter {
    private final OffsiteFilter offsite;
    private final int depthLimit;
    private final Stats stats;

    RequestFilter(OffsiteFilter offsite, int depthLimit, Stats stats) {
        this.offsite = offsite;
        this.depthLimit = depthLimit;
        this.stats = stats;
    }

    List<Request> apply(List<Request> requests) {
        List<Request> kept = new ArrayList<>(requests.size());
        for (Request r : requests) {
            if (depthLimit > 0 && r.depth() > depthLimit) {
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
