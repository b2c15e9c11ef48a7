package org.arachne.engine;

import org.arachne.http.DownloadException;
import org.arachne.http.Downloader;
import org.arachne.http.Request;
import org.arachne.http.Response;
import org.arachne.middleware.RedirectPolicy;
import org.arachne.spider.Login;
import org.arachne.spider.LoginFailedException;
import org.arachne.url.Urls;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a spider's {@link Login} before the crawl starts: each request straight through the crawl's
 * downloader (so the cookies the site sets go with every later request) and its redirects as the
 * crawl follows them, outside the frontier. Logs the method, status and URL of each exchange at
 * debug level (a URL's password masked) and never a body. Counts {@value #REQUESTS} (redirects
 * included) and {@value #SUCCEEDED} or {@value #FAILED}.
 */
final class LoginRunner {
    private static final Logger LOG = LoggerFactory.getLogger(LoginRunner.class);

    /** Stats key: requests the login sent, redirects included. */
    static final String REQUESTS = "login/request_count";

    /** Stats key: 1 when the login succeeded. */
    static final String SUCCEEDED = "login/succeeded";

    /** Stats key: 1 when the login failed (the crawl was aborted). */
    static final String FAILED = "login/failed";

    /** Most requests of one login (redirects not counted): a login that loops is stopped. */
    static final int MAX_STEPS = 10;

    private final Downloader downloader;
    private final RedirectPolicy redirects;
    private final Stats stats;

    LoginRunner(Downloader downloader, RedirectPolicy redirects, Stats stats) {
        this.downloader = downloader;
        this.redirects = redirects;
        this.stats = stats;
    }

    /**
     * Logs in; null when it succeeded, else why it failed (to end the crawl with).
     *
     * @throws InterruptedException when the crawl is aborted during the login
     */
    @Nullable String run(Login login) throws InterruptedException {
        try {
            Request request = login.start();
            LOG.info("logging in at {}", Urls.redacted(request.url()));
            for (int step = 1; request != null; step++) {
                if (step > MAX_STEPS) {
                    return failed("more than " + MAX_STEPS + " login requests; is it a loop?");
                }
                request = login.next(fetch(request), step);
            }
        } catch (LoginFailedException e) {
            return failed(String.valueOf(e.getMessage()));
        } catch (DownloadException e) {
            return failed("cannot fetch a login page: " + e.getMessage());
        } catch (RuntimeException e) {
            // a bug of the login, not of the site: its message is shown, its stack trace at debug
            LOG.debug("the login failed", e);
            return failed(Urls.redacted(e.toString()));
        }
        stats.inc(SUCCEEDED);
        return null;
    }

    private String failed(String reason) {
        stats.inc(FAILED);
        stats.countError("login");
        return reason;
    }

    /** The response to a request, after its redirects. */
    private Response fetch(Request first) throws DownloadException, InterruptedException {
        Request request = first;
        while (true) {
            stats.inc(REQUESTS);
            Response response = downloader.fetch(request);
            LOG.debug(
                    "login: {} {} {}",
                    response.status(),
                    request.method(),
                    Urls.redacted(request.url()));
            RedirectPolicy.Decision decision = redirects.decide(response);
            switch (decision) {
                case null -> {
                    return response;
                }
                case RedirectPolicy.Follow follow -> request = follow.request();
                case RedirectPolicy.Stop stop ->
                        throw new LoginFailedException(
                                "not following the redirect of "
                                        + Urls.redacted(response.url())
                                        + ": "
                                        + stop.message());
            }
        }
    }
}
