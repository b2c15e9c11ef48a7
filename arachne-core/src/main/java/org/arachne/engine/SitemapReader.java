package org.arachne.engine;

import crawlercommons.mimetypes.MimeTypeDetector;
import crawlercommons.robots.SimpleRobotRulesParser;
import crawlercommons.sitemaps.AbstractSiteMap;
import crawlercommons.sitemaps.SiteMap;
import crawlercommons.sitemaps.SiteMapIndex;
import crawlercommons.sitemaps.SiteMapParser;
import crawlercommons.sitemaps.SiteMapURL;
import crawlercommons.sitemaps.UnknownFormatException;
import crawlercommons.sitemaps.extension.Extension;
import crawlercommons.sitemaps.extension.ExtensionMetadata;
import crawlercommons.sitemaps.extension.LinkAttributes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.arachne.http.Request;
import org.arachne.http.Response;
import org.arachne.spider.Output;
import org.arachne.spider.Sitemaps;
import org.arachne.url.Urls;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's callback for {@link Sitemaps#CALLBACK} requests: reads a sitemap (XML, sitemap
 * index, plain text, gzipped or not) or a robots.txt through crawler-commons and emits requests:
 * followed sitemaps back to itself, listed pages to the callback of the spider's first matching
 * {@code sitemap_rules} entry. The emitted requests go through the engine's filters and frontier
 * like any callback's.
 *
 * <p>Counted: {@code sitemap/sitemaps} (sitemaps read), {@code sitemap/robotstxt} (robots.txt read
 * for their {@code Sitemap:} lines), {@code sitemap/urls} (page requests made, alternates
 * included), {@code sitemap/alternate_urls}, {@code sitemap/filtered/no_rule}, {@code
 * sitemap/filtered/follow}, {@code sitemap/skipped/invalid_url}. Errors: a sitemap that cannot be
 * read is counted as {@code error_count/sitemap/<kind>} ({@code http_status/<code>}, {@code
 * bad_gzip}, {@code too_large}, {@code invalid}), logged with its URL, and yields nothing; the
 * crawl goes on.
 *
 * <p>Thread-safety: safe for concurrent use (the parser is configured once, then only read).
 */
final class SitemapReader {
    private static final Logger LOG = LoggerFactory.getLogger(SitemapReader.class);

    private final Sitemaps sitemaps;
    private final Stats stats;
    private final long maxSize;
    private final SiteMapParser parser;
    private final MimeTypeDetector detector = new MimeTypeDetector();
    private final SimpleRobotRulesParser robotsParser = new SimpleRobotRulesParser();

    /**
     * @param maxSize the largest sitemap accepted after gunzipping ({@code download_maxsize})
     */
    SitemapReader(Sitemaps sitemaps, Stats stats, long maxSize) {
        this.sitemaps = sitemaps;
        this.stats = stats;
        this.maxSize = maxSize;
        // not strict: entries on other hosts or paths are kept, and left to allowed_domains
        this.parser = new SiteMapParser(false);
        if (sitemaps.alternateLinks()) {
            parser.enableExtension(Extension.LINKS);
        }
    }

    /** Reads one sitemap or robots.txt response; never throws for a bad sitemap. */
    void parse(Response response, Output out) {
        int status = response.status();
        if (status < 200 || status >= 300) {
            failed(response, "http_status/" + status, "HTTP " + status);
        } else if (isRobotsTxt(response.url())) {
            robotsTxt(response, out);
        } else {
            sitemap(response, out);
        }
    }

    private static boolean isRobotsTxt(String url) {
        int end = url.indexOf('?');
        return (end < 0 ? url : url.substring(0, end)).endsWith("/robots.txt");
    }

    private void robotsTxt(Response response, Output out) {
        // Sitemap: lines belong to no user-agent group, so any robot name reads them all
        List<String> listed =
                robotsParser
                        .parseContent(
                                response.url(),
                                response.body().unsafeBytes(),
                                mediaType(response.contentType()),
                                List.of("arachne"))
                        .getSitemaps();
        stats.inc(StatKeys.SITEMAP_ROBOTSTXT);
        LOG.debug("{} lists {} sitemap(s)", Urls.redacted(response.url()), listed.size());
        for (String url : listed) {
            followSitemap(url, response, out);
        }
    }

    private void sitemap(Response response, Output out) {
        byte[] body = response.body().unsafeBytes();
        if (isGzip(body)) {
            try {
                body = gunzip(body);
            } catch (IOException e) {
                failed(response, "bad_gzip", "not valid gzip: " + e.getMessage());
                return;
            }
            if (body.length > maxSize) {
                failed(response, "too_large", "more than " + maxSize + " bytes once gunzipped");
                return;
            }
        }
        // what the bytes look like wins over the declared type: servers often declare text/plain
        // or octet-stream for XML, or gzip for a body that Content-Encoding already decoded
        String type = detector.detect(body);
        String declared = mediaType(response.contentType());
        if (type == null && declared.contains("gzip")) {
            failed(response, "bad_gzip", "declared " + declared + " but not gzip");
            return;
        }
        AbstractSiteMap parsed;
        try {
            parsed =
                    parser.parseSiteMap(
                            type != null ? type : declared,
                            body,
                            URI.create(response.url()).toURL());
        } catch (UnknownFormatException | IOException | IllegalArgumentException e) {
            String cause = e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")";
            failed(response, "invalid", "not a sitemap: " + e.getMessage() + cause);
            return;
        }
        stats.inc(StatKeys.SITEMAP_SITEMAPS);
        if (parsed instanceof SiteMapIndex index) {
            for (AbstractSiteMap child : index.getSitemaps()) {
                followSitemap(child.getUrl().toString(), response, out);
            }
        } else if (parsed instanceof SiteMap map) {
            for (SiteMapURL entry : map.getSiteMapUrls()) {
                page(entry, response, out);
            }
        }
    }

    private void followSitemap(String url, Response response, Output out) {
        if (!sitemaps.follows(url)) {
            stats.inc(StatKeys.SITEMAP_FILTERED_FOLLOW);
            LOG.debug(
                    "not following sitemap {} of {}: no sitemap_follow match",
                    Urls.redacted(url),
                    Urls.redacted(response.url()));
            return;
        }
        try {
            out.request(Sitemaps.request(url));
        } catch (IllegalArgumentException e) {
            stats.inc(StatKeys.SITEMAP_SKIPPED_INVALID_URL);
            LOG.debug(
                    "skipping sitemap '{}' listed in {}: {}",
                    Urls.redacted(url),
                    Urls.redacted(response.url()),
                    e.getMessage());
        }
    }

    private void page(SiteMapURL entry, Response response, Output out) {
        String url = entry.getUrl().toString();
        if (!page(url, response, out) || !sitemaps.alternateLinks()) {
            return;
        }
        Set<String> alternates = new LinkedHashSet<>();
        ExtensionMetadata[] links = entry.getAttributesForExtension(Extension.LINKS);
        for (ExtensionMetadata meta : links == null ? new ExtensionMetadata[0] : links) {
            if (meta instanceof LinkAttributes link && link.getHref() != null) {
                String rel = link.getParams() == null ? null : link.getParams().get("rel");
                if (rel == null || rel.equalsIgnoreCase("alternate")) {
                    alternates.add(link.getHref().toString());
                }
            }
        }
        alternates.remove(url);
        for (String alternate : alternates) {
            if (page(alternate, response, out)) {
                stats.inc(StatKeys.SITEMAP_ALTERNATE_URLS);
            }
        }
    }

    /** Emits a page to its rule's callback; false when no rule takes it or it is not valid. */
    private boolean page(String url, Response response, Output out) {
        String callback = sitemaps.callbackFor(url);
        if (callback == null) {
            stats.inc(StatKeys.SITEMAP_FILTERED_NO_RULE);
            return false;
        }
        Request request;
        try {
            request = Request.get(url, callback);
        } catch (IllegalArgumentException e) {
            stats.inc(StatKeys.SITEMAP_SKIPPED_INVALID_URL);
            LOG.debug(
                    "skipping '{}' listed in {}: {}",
                    Urls.redacted(url),
                    Urls.redacted(response.url()),
                    e.getMessage());
            return false;
        }
        stats.inc(StatKeys.SITEMAP_URLS);
        out.request(request);
        return true;
    }

    private void failed(Response response, String kind, String why) {
        stats.countError("sitemap/" + kind);
        LOG.error("cannot read sitemap {}: {}", Urls.redacted(response.url()), why);
    }

    private static boolean isGzip(byte[] body) {
        return body.length >= 2 && (body[0] & 0xFF) == 0x1F && (body[1] & 0xFF) == 0x8B;
    }

    /** Gunzips up to one byte more than the limit, so that a gzip bomb stops there. */
    private byte[] gunzip(byte[] body) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return in.readNBytes((int) Math.min(maxSize + 1, Integer.MAX_VALUE - 16));
        }
    }

    /** The media type of a Content-Type header, lower case, without parameters; "" if none. */
    private static String mediaType(@Nullable String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
                .strip()
                .toLowerCase(Locale.ROOT);
    }
}
