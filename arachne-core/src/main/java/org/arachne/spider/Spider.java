package org.arachne.spider;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.arachne.http.Request;
import org.arachne.http.Response;
import org.jspecify.annotations.Nullable;

/**
 * A spider: where a crawl starts and how its responses are parsed. Implement {@link #parse} (the
 * default callback) and {@link #startUrls}, {@link #startRequests} or {@link #sitemaps}. A crawl
 * starts from {@link #startRequests()} followed by the requests of {@link #sitemaps()}, whichever
 * of them a spider overrides.
 *
 * <p>Further callbacks are methods of the spider with the signature {@code void name(Response,
 * Output)}, passed as method references ({@code out.follow(href, this::parseBook)}); a method of
 * another object ({@code helper::parse}) is refused, since a request keeps only the method's name.
 *
 * <p>A request that fails for good goes to an errback: the method {@code void name(Failure,
 * Output)} it names ({@code out.follow(href, this::parseBook, this::onError)}, {@link
 * Request#withErrback(String)}), or {@link #errback(Failure, Output)}. What an errback emits is
 * handled as a callback's output.
 *
 * <p>Thread-safety: callbacks run on many threads at once; keep spider state thread-safe.
 */
public interface Spider {

    /** A short name for logs, stats and output file names. */
    String name();

    /** The URLs to start from; used by the default {@link #startRequests()}. */
    default List<String> startUrls() {
        return List.of();
    }

    /**
     * The requests to start from; by default a GET of each {@link #startUrls()} to {@code parse}.
     * The engine adds the {@link Sitemaps#requests() requests} of {@link #sitemaps()} after these,
     * so a spider that overrides this keeps its sitemaps (it need not, and should not, add them).
     */
    default List<Request> startRequests() {
        return startUrls().stream().map(Request::get).toList();
    }

    /**
     * The sitemaps to crawl from, with the rules that route their pages to callbacks (Scrapy's
     * {@code SitemapSpider}); none by default.
     */
    default Sitemaps sitemaps() {
        return Sitemaps.NONE;
    }

    /**
     * Domains the crawl stays inside (subdomains included); empty for no limit. Requests to other
     * hosts are dropped and counted unless they are {@code dontFilter}.
     */
    default Set<String> allowedDomains() {
        return Set.of();
    }

    /**
     * Settings of this spider, over the defaults and under those given on the command line. Values
     * are strings (as on the command line) or typed values (numbers, booleans, lists, maps).
     */
    default Map<String, ?> settings() {
        return Map.of();
    }

    /**
     * The fields of every item this spider makes, in the order a table of them should have, when
     * they are known before the crawl: a CSV feed takes them as its columns, so items of different
     * shapes each fill their own (unless {@code feed_export_fields} chooses the columns). Empty
     * (the default) when they are not known: a CSV feed takes the first item's fields then.
     */
    default List<String> itemFields() {
        return List.of();
    }

    /** The default callback. */
    void parse(Response response, Output out) throws Exception;

    /**
     * Finds the callback of this name. By default a method {@code void name(Response, Output)} of
     * the spider's class or its superclasses, of any visibility; null when there is none.
     */
    default @Nullable Callback callback(String name) {
        if (name.equals("parse")) {
            return this::parse;
        }
        Method method = method(getClass(), name, Response.class);
        return method == null ? null : new ReflectiveCallback(this, method);
    }

    /**
     * The default errback: called with each request that failed for good and names no errback of
     * its own. Does nothing by default (the failure is counted, logged and kept as a dead letter
     * all the same); override it to emit a record of failures or fallback requests.
     *
     * @throws Exception any failure; counted as {@code error_count/errback/<exception class>} and
     *     logged with the URL
     */
    default void errback(Failure failure, Output out) throws Exception {}

    /**
     * Finds the errback of this name. By default a method {@code void name(Failure, Output)} of the
     * spider's class or its superclasses, of any visibility; {@code errback} is {@link
     * #errback(Failure, Output)}; null when there is none.
     */
    default @Nullable Errback errback(String name) {
        if (name.equals("errback")) {
            return this::errback;
        }
        Method method = method(getClass(), name, Failure.class);
        return method == null ? null : new ReflectiveErrback(this, method);
    }

    private static @Nullable Method method(Class<?> spiderClass, String name, Class<?> first) {
        for (Class<?> type = spiderClass; type != null; type = type.getSuperclass()) {
            try {
                Method method = type.getDeclaredMethod(name, first, Output.class);
                method.setAccessible(true);
                return method;
            } catch (NoSuchMethodException e) {
                // not declared here; look in the superclass
            }
        }
        return null;
    }

    /**
     * The login the crawl does before its start requests, or null (the default) for none. Called
     * once per run, after {@link #open()}; see {@link Login} for how it is sent.
     */
    default @Nullable Login login() {
        return null;
    }

    /** Called once when the crawl starts, before the first request. */
    default void open() throws Exception {}

    /** Called once when the crawl ends, on every way it ends. */
    default void close() throws Exception {}
}
