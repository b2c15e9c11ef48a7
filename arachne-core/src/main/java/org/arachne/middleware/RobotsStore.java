package org.arachne.middleware;

import crawlercommons.robots.BaseRobotRules;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What the crawl knows of each origin's robots.txt: being fetched, known (its rules), or given up.
 * Bounded and expiring: RFC 9309 asks that rules be kept no longer than 24 hours, and a broad crawl
 * sees more origins than fit in memory. Behind an interface so that a store shared by many workers
 * can take the place of the in-process one.
 *
 * <p>Thread-safety: implementations are safe for concurrent use.
 */
public interface RobotsStore {

    /** What is known of one origin. */
    sealed interface Entry {}

    /** A request for the robots.txt is queued or in flight, since this time (ticker nanos). */
    record Pending(long sinceNanos) implements Entry {}

    /** The rules, and the Crawl-delay they ask for (capped; zero for none). */
    record Known(BaseRobotRules rules, Duration crawlDelay) implements Entry {}

    /** The robots.txt could not be fetched: every request of the origin fails. */
    record GaveUp(String reason) implements Entry {}

    /** What is known of the origin, or null when nothing is (never asked, or expired). */
    @Nullable Entry get(String origin);

    /**
     * Marks the origin pending unless something is known of it or a fetch has been pending for less
     * than {@code stalePending}.
     *
     * @return true when the caller must queue the robots.txt request
     */
    boolean claim(String origin, long nowNanos, Duration stalePending);

    /** Records what the fetch found, for {@link CachedRobotsStore#EXPIRY}. */
    void put(String origin, Entry entry);

    /**
     * Records what a fetch of an earlier run or of another worker found (a durable or shared
     * frontier kept it), for {@code keepFor} (what is left of its 24 hours), unless something is
     * known of the origin: then that stays. It takes the place of a pending fetch, whose request
     * another worker may have taken.
     *
     * @return whether it was recorded
     */
    boolean restore(String origin, Known known, Duration keepFor);
}
