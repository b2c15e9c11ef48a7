package org.arachne.frontier;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A frontier that keeps what robots.txt fetches found across runs, as the job dir's does (#10): a
 * resumed crawl then fetches an origin's robots.txt at most once in its {@link
 * RobotsTxtRecord#LIFETIME}, and spaces the origin's requests by its {@code Crawl-delay} from the
 * first one of the new run. The engine's robots.txt stage writes each fetch through to it and reads
 * an origin's record when its in-process store knows nothing of the origin. A frontier that keeps
 * nothing across runs (the memory frontier) does not implement it.
 *
 * <p>Thread-safety: as {@link Frontier}. Errors of the store are {@link FrontierException}s; a
 * record that cannot be read back is skipped (logged and counted), never an error.
 */
public interface RobotsTxtStore {

    /**
     * The record kept for the origin, whatever its age, or null when none is kept or the one kept
     * cannot be read (then counted {@code robotstxt/restore_failed} and logged with the origin).
     */
    @Nullable RobotsTxtRecord robotsTxt(String origin);

    /**
     * Every readable record kept whose {@code Crawl-delay} is above zero, whatever its age: read
     * once as a run starts, to give the slots their floors ({@link #crawlDelayFromFirstRequest}).
     */
    List<RobotsTxtRecord> robotsTxtWithCrawlDelay();

    /**
     * Keeps the record in place of the origin's earlier one, durably before it returns (a small
     * transaction of its own: one per origin and {@link RobotsTxtRecord#LIFETIME}).
     */
    void keepRobotsTxt(RobotsTxtRecord record);

    /**
     * Gives the origin's slot a {@code Crawl-delay} floor of at least {@code crawlDelay} before the
     * first request of the origin that this frontier leases from now on, as the ending of a lease
     * that reported it would (later endings report it as usual). For a delay known from an earlier
     * run, before any lease of this run could report it.
     */
    void crawlDelayFromFirstRequest(String origin, Duration crawlDelay);
}
