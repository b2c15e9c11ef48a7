package org.arachne.spider;

import java.io.Serializable;

/**
 * Handles a request that failed for good (Scrapy's errback): it may emit items (a record of the
 * failure) and requests (a fallback URL) to {@code out}, which go through the pipelines, feeds and
 * frontier as a callback's do. Named like a {@link Callback}: a method of the spider {@code void
 * name(Failure, Output)} passed as a method reference ({@code this::onError}), or by name with
 * {@link org.arachne.http.Request#withErrback(String)}.
 */
@FunctionalInterface
public interface Errback extends Serializable {

    /**
     * @throws Exception any failure; it is counted as {@code error_count/errback/<exception class>}
     *     and logged with the request URL; what was emitted before still counts
     */
    void failed(Failure failure, Output out) throws Exception;
}
