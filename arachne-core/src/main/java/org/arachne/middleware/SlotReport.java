package org.arachne.middleware;

import java.time.Duration;

/**
 * What a stage may tell the frontier about the slot of the lease it handles; sent with the lease's
 * ending, where the frontier's throttle turns it into the slot's numbers.
 */
public interface SlotReport {
    /** The origin asks for at least this gap between two starts (robots.txt Crawl-delay). */
    void crawlDelay(Duration delay);

    /** The whole slot should start nothing for this long (a Retry-After). */
    void pause(Duration duration);
}
