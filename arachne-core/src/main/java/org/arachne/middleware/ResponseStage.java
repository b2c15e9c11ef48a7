package org.arachne.middleware;

import org.arachne.http.DownloadException;
import org.arachne.http.Request;
import org.arachne.http.Response;
import org.jspecify.annotations.Nullable;

/**
 * One step a response passes on its way to the callback, like Scrapy's downloader middlewares'
 * {@code process_response} and {@code process_exception}: redirect, retry, robots.txt, then the
 * stages a user adds with {@code Crawler.Builder.responseStage}, then the HTTP error filter, in
 * that order.
 *
 * <p>Thread-safety: called from many lease threads at once.
 */
public interface ResponseStage {

    /**
     * Lets the response go on (the same or a changed copy) or ends its lease.
     *
     * @param slot where the stage reports what it learned about the response's slot
     */
    StageResult<Response> onResponse(Response response, SlotReport slot);

    /**
     * What to do when the download failed; null when this stage does not handle the failure (the
     * next stage is asked; when none does, the request fails as {@code download/<kind>}).
     */
    default @Nullable Outcome onError(Request request, DownloadException error) {
        return null;
    }
}
