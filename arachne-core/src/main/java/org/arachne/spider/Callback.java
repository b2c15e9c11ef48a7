package org.arachne.spider;

import java.io.Serializable;
import org.arachne.http.Response;

/**
 * Parses a response: emits items and further requests to {@code out}.
 *
 * <p>Pass callbacks as method references to methods of the spider, such as {@code this::parseBook}:
 * a request stores the callback's method <em>name</em>, so that it can be kept in a job dir or
 * shared through Redis and still find its method in another process. So a lambda that captures
 * local variables, which has no such name, is refused (carry its data in the request's meta
 * instead), and so is a method of another object ({@code helper::parse}), which the name would not
 * find: call the helper from a method of the spider.
 */
@FunctionalInterface
public interface Callback extends Serializable {

    /**
     * @throws Exception any failure; it is counted and logged with the response URL and the crawl
     *     goes on with the next response
     */
    void parse(Response response, Output out) throws Exception;
}
