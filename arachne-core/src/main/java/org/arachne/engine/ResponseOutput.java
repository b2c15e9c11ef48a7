package org.arachne.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.arachne.http.Headers;
import org.arachne.http.Request;
import org.arachne.http.Response;
import org.arachne.item.Item;
import org.arachne.spider.Callback;
import org.arachne.spider.Callbacks;
import org.arachne.spider.Errback;
import org.arachne.spider.Output;
import org.arachne.spider.Spider;
import org.arachne.url.Urls;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects what one callback emits for one response, or one errback for one failed request. Every
 * {@code follow} goes through {@link #link}: resolved against the response URL (the failed
 * request's when no response came back), skipped and counted when it is not a crawlable URL.
 *
 * <p>With {@code referer_enabled}, every request emitted for a response carries the page's URL
 * (without its fragment and credentials) as its {@code Referer}, as Scrapy's default referrer
 * policy sends it: not from an https page to an http URL, not from a page that is no http(s) one,
 * never over a {@code Referer} the request has.
 */
final class ResponseOutput implements Output {
    private static final Logger LOG = LoggerFactory.getLogger(ResponseOutput.class);

    private static final String REFERER = "Referer";

    private final @Nullable Response response;
    private final Request origin;
    private final Stats stats;
    private final Spider spider;
    private final @Nullable String referer;
    private @Nullable Headers refererOnly;
    private final List<Item> items = new ArrayList<>();
    private final List<Request> requests = new ArrayList<>();

    /**
     * Callbacks given to {@code follow} must be methods of {@code spider} itself.
     *
     * @param sendReferer whether emitted requests carry the page as their {@code Referer}
     */
    ResponseOutput(Response response, Stats stats, Spider spider, boolean sendReferer) {
        this(response, response.request(), stats, spider, sendReferer);
    }

    /**
     * For an errback: links resolve against {@code response} if any, else the failed request; a
     * failure without a response gives no {@code Referer}.
     */
    ResponseOutput(
            @Nullable Response response,
            Request origin,
            Stats stats,
            Spider spider,
            boolean sendReferer) {
        this.response = response;
        this.origin = origin;
        this.stats = stats;
        this.spider = spider;
        this.referer = sendReferer && response != null ? referer(response.url()) : null;
    }

    /**
     * The page's URL as a {@code Referer}, without its fragment and credentials; null for a page
     * that is no http(s) URL.
     */
    static @Nullable String referer(String pageUrl) {
        if (!Urls.isHttp(pageUrl)) {
            return null;
        }
        int hash = pageUrl.indexOf('#');
        String url = hash < 0 ? pageUrl : pageUrl.substring(0, hash);
        int start = url.indexOf("://") + 3;
        int end = start;
        while (end < url.length() && "/?".indexOf(url.charAt(end)) < 0) {
            end++;
        }
        int at = url.lastIndexOf('@', end - 1);
        return at < start ? url : url.substring(0, start) + url.substring(at + 1);
    }

    @Override
    public void item(Item item) {
        items.add(item);
    }

    @Override
    public void request(Request request) {
        Headers headers = request.headers();
        if (referer != null
                && !headers.contains(REFERER)
                && !(referer.startsWith("https:") && request.url().startsWith("http:"))) {
            headers = headers.isEmpty() ? refererOnly() : headers.with(REFERER, referer);
        }
        requests.add(
                new Request(
                        request.url(),
                        request.method(),
                        headers,
                        request.body(),
                        request.priority(),
                        origin.depth() + 1,
                        request.dontFilter(),
                        request.callback(),
                        request.meta(),
                        request.errback()));
    }

    /** The page's {@code Referer} alone, one instance for every link of the page. */
    private Headers refererOnly() {
        if (refererOnly == null) {
            refererOnly = Headers.of(REFERER, String.valueOf(referer));
        }
        return refererOnly;
    }

    @Override
    public void follow(String href, Callback callback, UnaryOperator<Request> adjust) {
        String name = Callbacks.nameOf(callback, spider);
        Request request = link(href, name);
        if (request != null) {
            request(adjust.apply(request));
        }
    }

    @Override
    public void follow(String href, Callback callback, Errback errback) {
        String name = Callbacks.errbackName(errback, spider);
        follow(href, callback, r -> r.withErrback(name));
    }

    @Override
    public void follow(String href) {
        Request request = link(href, origin.callback());
        if (request != null) {
            request(request);
        }
    }

    /** A GET of the resolved link to {@code callback}, or null (counted) when it is not one. */
    private @Nullable Request link(String href, @Nullable String callback) {
        String url;
        try {
            url = response != null ? response.urljoin(href) : Urls.resolve(origin.url(), href);
        } catch (IllegalArgumentException e) {
            return skip(href, "invalid_url", e.getMessage());
        }
        if (!Urls.isHttp(url)) {
            return skip(href, "not_http", "not an http(s) URL");
        }
        try {
            return Request.get(url, callback);
        } catch (IllegalArgumentException e) {
            return skip(href, "invalid_url", e.getMessage());
        }
    }

    private @Nullable Request skip(String href, String reason, @Nullable String why) {
        stats.inc(StatKeys.linkSkipped(reason));
        LOG.debug(
                "skipping link '{}' on {}: {}",
                Urls.redacted(href),
                Urls.redacted(response != null ? response.url() : origin.url()),
                why == null ? null : Urls.redacted(why));
        return null;
    }

    @Override
    public void count(String key, long amount) {
        stats.inc(StatKeys.spider(key), amount);
    }

    List<Item> items() {
        return items;
    }

    List<Request> requests() {
        return requests;
    }
}
