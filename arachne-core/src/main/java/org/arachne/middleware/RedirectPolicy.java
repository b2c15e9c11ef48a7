package org.arachne.middleware;

import java.util.ArrayList;
import java.util.List;
import org.arachne.http.Body;
import org.arachne.http.Headers;
import org.arachne.http.Request;
import org.arachne.http.Response;
import org.arachne.http.Urls;

/**
 * Turns a 3xx response into the request for its {@code Location}, the way browsers and Scrapy do:
 * 301, 302 and 303 become GET (except HEAD), 307 and 308 keep method and body. The chain travels in
 * meta ({@code redirect_times}, {@code redirect_urls}) so that a chain longer than {@code
 * redirect_max_times} or one that comes back to a URL it passed (a loop) is stopped.
 */
public final class RedirectPolicy {
    /** Meta key: how many redirects led to this request. */
    public static final String REDIRECT_TIMES = "redirect_times";

    /** Meta key: the URLs the chain passed, oldest first. */
    public static final String REDIRECT_URLS = "redirect_urls";

    private final boolean enabled;
    private final int maxTimes;

    public RedirectPolicy(boolean enabled, int maxTimes) {
        this.enabled = enabled;
        this.maxTimes = maxTimes;
    }

    /** What to do with a redirect. */
    public sealed interface Decision {}

    /** Follow: queue this request. */
    public record Follow(Request request) implements Decision {}

    /** Stop: the redirect is not followed, for this reason (a stat key suffix and a message). */
    public record Stop(String kind, String message) implements Decision {}

    /** Whether the response is a redirect this policy handles. */
    public boolean isRedirect(Response response) {
        int s = response.status();
        return enabled
                && (s == 301 || s == 302 || s == 303 || s == 307 || s == 308)
                && response.headers().contains("Location");
    }

    public Decision decide(Response response) {
        Request request = response.request();
        String location = response.headers().first("Location");
        String target;
        try {
            target = Urls.resolve(response.url(), location == null ? "" : location);
        } catch (IllegalArgumentException e) {
            return new Stop("bad_location", "redirect to an invalid Location '" + location + "'");
        }
        if (!Urls.isHttp(target)) {
            return new Stop("bad_location", "redirect to a non-http URL '" + target + "'");
        }
        List<String> chain = chain(request);
        chain.add(request.url());
        String canonicalTarget = Urls.canonicalize(target);
        for (String passed : chain) {
            if (Urls.canonicalize(passed).equals(canonicalTarget)) {
                return new Stop("loop", "redirect loop back to " + target + " after " + chain);
            }
        }
        int times = chain.size();
        if (times > maxTimes) {
            return new Stop("max_times", "more than redirect_max_times=" + maxTimes + " redirects");
        }
        int s = response.status();
        Request next = request.withUrl(target);
        if ((s == 301 || s == 302 || s == 303) && !request.method().equals("HEAD")) {
            next =
                    next.withMethod("GET")
                            .withBody(Body.EMPTY)
                            .withHeaders(withoutBodyHeaders(request.headers()));
        }
        next =
                next.withMeta(REDIRECT_TIMES, times)
                        .withMeta(REDIRECT_URLS, List.copyOf(chain))
                        .withPriority(request.priority() + 2);
        return new Follow(next);
    }

    private static Headers withoutBodyHeaders(Headers headers) {
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i);
            if (!name.equalsIgnoreCase("Content-Type")
                    && !name.equalsIgnoreCase("Content-Length")) {
                kept.add(name);
                kept.add(headers.value(i));
            }
        }
        return Headers.of(kept.toArray(String[]::new));
    }

    private static List<String> chain(Request request) {
        List<String> chain = new ArrayList<>();
        if (request.meta(REDIRECT_URLS) instanceof List<?> urls) {
            for (Object o : urls) {
                chain.add(String.valueOf(o));
            }
        }
        return chain;
    }
}
