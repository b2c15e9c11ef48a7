package org.arachne.spider;

import org.arachne.http.Request;
import org.arachne.http.Response;
import org.jspecify.annotations.Nullable;

/**
 * The login a crawl does before its start requests (Scrapy spiders do it in {@code start_requests}
 * with {@code FormRequest.from_response}): a short conversation of requests, usually a GET of the
 * page with the login form and a POST of that form ({@link org.arachne.http.Forms#fromResponse}),
 * after which the crawl goes on with the cookies the site set.
 *
 * <p>The engine sends these requests itself, one after the other, with the crawl's downloader (its
 * cookies, default headers and User-Agent) and following redirects as the crawl does; they are not
 * deduplicated, not queued in the frontier, never stored in a job dir, and not given to callbacks.
 * A crawl logs in on every run, a resumed one too (its cookies are not kept), and queues or takes
 * no request before the login has ended. A login that fails ends the crawl, aborted, with the
 * reason.
 *
 * <p>Credentials: nothing of a request body, nor of a request URL's password, is logged or counted;
 * keep it out of exception messages too.
 */
public interface Login {
    /** The first request of the login, such as a GET of the page with the form. */
    Request start();

    /**
     * The next request, given the response to the one before (after its redirects); null when the
     * login succeeded and the crawl may start.
     *
     * @param step 1 for the response to {@link #start()}, 2 for the response to the request
     *     returned for step 1, and so on
     * @throws LoginFailedException when the response shows the login failed, with what to tell the
     *     user (never a credential)
     */
    @Nullable Request next(Response response, int step);
}
