package org.arachne.middleware;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.arachne.http.Body;
import org.arachne.http.Headers;
import org.arachne.http.Request;
import org.arachne.http.Response;
import org.arachne.internal.ControlChars;
import org.arachne.url.Urls;
import org.jsoup.nodes.Element;
import org.jspecify.annotations.Nullable;

/**
 * Turns a 3xx response into the request for its {@code Location}, the way browsers and Scrapy do:
 * 301, 302 and 303 become GET (except HEAD), 307 and 308 keep method and body. The chain travels in
 * meta ({@code redirect_times}, {@code redirect_urls}) so that a chain longer than {@code
 * redirect_max_times} or one that comes back to a URL it passed (a loop) is stopped.
 *
 * <p>A 200 HTML page with {@code <meta http-equiv="refresh" content="N; url=...">} and N below
 * {@code metarefresh_maxdelay} is a redirect too (a GET, on the same chain), like Scrapy's
 * MetaRefreshMiddleware; refreshes without a URL and those inside {@code <noscript>} are ignored.
 */
public final class RedirectPolicy implements ResponseStage {
    /** Meta key: how many redirects led to this request. */
    public static final String REDIRECT_TIMES = "redirect_times";

    /** Meta key: the URLs the chain passed, oldest first. */
    public static final String REDIRECT_URLS = "redirect_urls";

    /** The content of a refresh: seconds, then optionally {@code ;} or {@code ,} and the URL. */
    private static final Pattern REFRESH =
            Pattern.compile(
                    "\\s*(\\d+(?:\\.\\d*)?)[^;,]*(?:[;,]\\s*(?:url\\s*=\\s*)?(.*))?",
                    Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    private final boolean enabled;
    private final int maxTimes;
    private final boolean metaRefreshEnabled;
    private final Duration metaRefreshMaxDelay;

    /**
     * @param enabled whether 3xx responses are followed
     * @param maxTimes longest chain followed
     * @param metaRefreshEnabled whether HTML meta refreshes are followed
     * @param metaRefreshMaxDelay refreshes with this delay or longer are not followed
     */
    public RedirectPolicy(
            boolean enabled,
            int maxTimes,
            boolean metaRefreshEnabled,
            Duration metaRefreshMaxDelay) {
        this.enabled = enabled;
        this.maxTimes = maxTimes;
        this.metaRefreshEnabled = metaRefreshEnabled;
        this.metaRefreshMaxDelay = metaRefreshMaxDelay;
    }

    /** What to do with a redirect. */
    public sealed interface Decision {}

    /** Follow: queue this request; {@code metaRefresh} when a meta refresh asked for it. */
    public record Follow(Request request, boolean metaRefresh) implements Decision {}

    /** Stop: the redirect is not followed, for this reason (a stat key suffix and a message). */
    public record Stop(String kind, String message) implements Decision {}

    /** A redirect becomes its target's request, queued in the lease's place; others go on. */
    @Override
    public StageResult<Response> onResponse(Response response, SlotReport slot) {
        Decision decision = decide(response);
        return switch (decision) {
            case null -> StageResult.next(response);
            case Follow follow ->
                    StageResult.end(
                            new Outcome.Replace(
                                    follow.request(),
                                    "redirect to " + follow.request().url(),
                                    follow.metaRefresh()
                                            ? List.of("redirect/count", "redirect/meta_refresh")
                                            : List.of("redirect/count")));
            case Stop stop ->
                    StageResult.end(
                            new Outcome.Fail(
                                    "not following the redirect of "
                                            + response.url()
                                            + ": "
                                            + stop.message(),
                                    "redirect/" + stop.kind()));
        };
    }

    /**
     * What to do with the response when it is a redirect this policy handles (a 3xx with {@code
     * Location}, or a meta refresh); null when it is not one.
     */
    public @Nullable Decision decide(Response response) {
        int s = response.status();
        if (enabled
                && (s == 301 || s == 302 || s == 303 || s == 307 || s == 308)
                && response.headers().contains("Location")) {
            String location = response.headers().first("Location");
            boolean toGet = s != 307 && s != 308;
            return follow(response, location == null ? "" : location, toGet, false);
        }
        String refresh = metaRefreshUrl(response);
        return refresh == null ? null : follow(response, refresh, true, true);
    }

    private static final byte[] REFRESH_WORD = {'r', 'e', 'f', 'r', 'e', 's', 'h'};

    /** How far the search may move on when the byte under the word's end does not match. */
    private static final int[] REFRESH_SKIP = new int[256];

    static {
        Arrays.fill(REFRESH_SKIP, REFRESH_WORD.length);
        for (int j = 0; j < REFRESH_WORD.length - 1; j++) {
            REFRESH_SKIP[REFRESH_WORD[j]] = REFRESH_WORD.length - 1 - j;
        }
    }

    /**
     * Whether the bytes contain "refresh" in any case (ASCII): a scan that spares the HTML parse
     * and the element search on the pages without one, which is nearly all of them. Horspool's
     * search, so a miss moves on by up to the word's length instead of one byte.
     */
    static boolean mentionsRefresh(byte[] body) {
        int last = REFRESH_WORD.length - 1;
        for (int end = last; end < body.length; ) {
            int k = 0;
            while (k <= last && (body[end - k] | 0x20) == REFRESH_WORD[last - k]) {
                k++;
            }
            if (k > last) {
                return true;
            }
            end += REFRESH_SKIP[(body[end] | 0x20) & 0xFF];
        }
        return false;
    }

    private @Nullable String metaRefreshUrl(Response response) {
        String type = response.contentType();
        if (!metaRefreshEnabled
                || response.status() != 200
                || type == null
                || !type.toLowerCase(Locale.ROOT).startsWith("text/html")
                || !mentionsRefresh(response.body().unsafeBytes())) {
            return null;
        }
        for (Element meta : response.page().document().select("meta[http-equiv][content]")) {
            if (!meta.attr("http-equiv").strip().equalsIgnoreCase("refresh")
                    || meta.parents().stream().anyMatch(e -> e.nameIs("noscript"))) {
                continue;
            }
            Matcher m = REFRESH.matcher(meta.attr("content"));
            if (!m.matches() || m.group(2) == null) {
                return null;
            }
            double seconds = Double.parseDouble(m.group(1));
            String url = unquote(m.group(2).strip());
            if (url.isEmpty() || seconds * 1000 >= metaRefreshMaxDelay.toMillis()) {
                return null;
            }
            return url;
        }
        return null;
    }

    private static String unquote(String s) {
        if (s.length() >= 2
                && (s.charAt(0) == '"' || s.charAt(0) == '\'')
                && s.charAt(s.length() - 1) == s.charAt(0)) {
            return s.substring(1, s.length() - 1).strip();
        }
        return s;
    }

    private Decision follow(Response response, String location, boolean toGet, boolean meta) {
        Request request = response.request();
        String target;
        String canonicalTarget;
        Request next;
        try {
            target = Urls.resolve(response.url(), location);
            if (!Urls.isHttp(target)) {
                return new Stop(
                        "bad_location",
                        ControlChars.escape("redirect to a non-http URL '" + target + "'"));
            }
            // a target that resolves but is no URL a request can have ('http://', 'http://[::1')
            canonicalTarget = Urls.canonicalize(target);
            next = request.withUrl(target);
        } catch (IllegalArgumentException e) {
            return new Stop(
                    "bad_location",
                    ControlChars.escape(
                            "redirect to an invalid Location '"
                                    + location
                                    + "': "
                                    + e.getMessage()));
        }
        List<String> chain = chain(request);
        chain.add(request.url());
        for (String passed : chain) {
            if (Urls.canonicalize(passed).equals(canonicalTarget)) {
                return new Stop("loop", "redirect loop back to " + target + " after " + chain);
            }
        }
        int times = chain.size();
        if (times > maxTimes) {
            return new Stop("max_times", "more than redirect_max_times=" + maxTimes + " redirects");
        }
        if (toGet && !request.method().equals("HEAD")) {
            next = next.withMethod("GET").withBody(Body.EMPTY);
        }
        Headers kept = keptHeaders(request, next, toGet && !request.method().equals("HEAD"));
        if (kept != request.headers()) {
            next = next.withHeaders(kept);
        }
        next =
                next.withMeta(REDIRECT_TIMES, times)
                        .withMeta(REDIRECT_URLS, List.copyOf(chain))
                        .withPriority(request.priority() + 2);
        return new Follow(next, meta);
    }

    /**
     * The headers the redirected request keeps, as Scrapy's redirect does: a request turned into a
     * GET loses its body's {@code Content-Type} and {@code Content-Length}; one sent to another
     * host or from https to http loses the credentials its spider gave it ({@code Authorization},
     * {@code Cookie}: the cookie store sends the new host's own); from https to http, its {@code
     * Referer} too. The same instance when nothing is dropped.
     */
    private static Headers keptHeaders(Request from, Request to, boolean toGet) {
        boolean downgrade = from.url().startsWith("https:") && to.url().startsWith("http:");
        boolean otherHost = !from.host().equalsIgnoreCase(to.host());
        Headers headers = from.headers();
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i);
            boolean drop =
                    (toGet
                                    && (name.equalsIgnoreCase("Content-Type")
                                            || name.equalsIgnoreCase("Content-Length")))
                            || ((otherHost || downgrade)
                                    && (name.equalsIgnoreCase("Authorization")
                                            || name.equalsIgnoreCase("Cookie")))
                            || (downgrade && name.equalsIgnoreCase("Referer"));
            if (!drop) {
                kept.add(name);
                kept.add(headers.value(i));
            }
        }
        return kept.size() == headers.size() * 2
                ? headers
                : Headers.of(kept.toArray(String[]::new));
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
