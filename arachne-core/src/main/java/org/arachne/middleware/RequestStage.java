package org.arachne.middleware;

import org.arachne.http.Request;

/**
 * One step a leased request passes before it is downloaded, like Scrapy's downloader middlewares'
 * {@code process_request}: the private-address guard and robots.txt, then the stages a user adds
 * with {@code Crawler.Builder.requestStage} (changing headers, say), in that order.
 *
 * <p>Thread-safety: called from many lease threads at once.
 */
public interface RequestStage {

    /**
     * Lets the request go on (the same or a changed copy) or ends its lease.
     *
     * @param slot where the stage reports what it learned about the request's slot
     * @throws InterruptedException when the crawl is aborting while the stage waits
     */
    StageResult<Request> onRequest(Request request, SlotReport slot) throws InterruptedException;

    /**
     * Told when a lease that passed this stage fails for good, with the failure; returns the
     * failure to record (the same, or one that says better what failed). By default the same.
     */
    default Outcome.Fail failed(Request request, Outcome.Fail failure) {
        return failure;
    }
}
