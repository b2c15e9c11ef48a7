package org.arachne.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.zip.GZIPOutputStream;
import org.jspecify.annotations.Nullable;

/**
 * The sitemaps of each host beyond {@code /sitemap.xml} (which lists every crawlable page and is
 * named in robots.txt): an index whose children split the pages over every encoding a crawler
 * meets, next to three broken sitemaps, and two sitemaps for alternate-language links and links to
 * another host. None of them is linked from a page or from robots.txt, so crawls that follow links
 * never see them and the {@link SiteManifest} stays what it is.
 *
 * <p>Per host, with {@code N} pages:
 *
 * <ul>
 *   <li>{@value #INDEX}: a {@code sitemapindex} of the {@link #PARTS} parts, then {@value #BROKEN},
 *       {@value #MISSING} and {@value #BAD_GZIP}.
 *   <li>{@code /sitemaps/books-K.*}: part K (1..{@value #PARTS}) lists the pages {@code j} with
 *       {@code j % 5 == K - 1}: {@code books-1.xml} as XML, {@code books-2.xml.gz} gzipped as
 *       {@code application/gzip}, {@code books-3.xml.gz} gzipped as {@code
 *       application/octet-stream}, {@code books-4.xml} XML with {@code Content-Encoding: gzip},
 *       {@code books-5.txt} a plain-text list of URLs.
 *   <li>{@value #BROKEN}: XML cut off in the middle; {@value #MISSING}: 404; {@value #BAD_GZIP}:
 *       declared {@code application/gzip}, not gzip.
 *   <li>{@value #ALTERNATES}: pages 1..{@value #ALTERNATE_ENTRIES}, each with {@code <xhtml:link
 *       rel="alternate">} to itself ({@code hreflang="en"}) and to its URL plus {@code ?lang=fr}
 *       (the same page, a distinct URL).
 *   <li>{@value #PARTNERS}: pages 1..{@value #PARTNER_ENTRIES} of this host, then the same pages of
 *       the next host (the host itself on a one-host sandbox).
 * </ul>
 */
public final class SitemapFiles {
    /** The sitemap index. */
    public static final String INDEX = "/sitemap_index.xml";

    /** How many parts the index splits the pages into (all of them, each page once). */
    public static final int PARTS = 5;

    /** A sitemap whose XML is cut off: not well-formed. */
    public static final String BROKEN = "/sitemaps/broken.xml";

    /** A sitemap the index lists but the host answers 404 for. */
    public static final String MISSING = "/sitemaps/missing.xml";

    /** A sitemap declared {@code application/gzip} whose bytes are not gzip. */
    public static final String BAD_GZIP = "/sitemaps/bad-gzip.xml.gz";

    /** The sitemap with alternate-language links. */
    public static final String ALTERNATES = "/sitemaps/alternates.xml";

    /** Entries of {@link #ALTERNATES}; each has one alternate URL besides its own. */
    public static final int ALTERNATE_ENTRIES = 10;

    /** The sitemap that lists pages of this host and of the next one. */
    public static final String PARTNERS = "/sitemaps/partners.xml";

    /** Entries of {@link #PARTNERS} per host. */
    public static final int PARTNER_ENTRIES = 5;

    private static final String XML = "application/xml; charset=utf-8";
    private static final String URLSET =
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    + "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
    private static final List<String> PART_NAMES =
            List.of(
                    "books-1.xml",
                    "books-2.xml.gz",
                    "books-3.xml.gz",
                    "books-4.xml",
                    "books-5.txt");

    private final BookSite site;

    SitemapFiles(BookSite site) {
        this.site = site;
    }

    /** The paths of the index's parts, in index order. */
    public static List<String> partPaths() {
        return PART_NAMES.stream().map(n -> "/sitemaps/" + n).toList();
    }

    /** The sitemap served at {@code path} on host {@code host}; null when it is not one. */
    BookSite.@Nullable Resource resolve(int host, String path) {
        switch (path) {
            case INDEX:
                return xml(index(host));
            case BROKEN:
                String full = urlset(host, j -> j < 3);
                return xml(full.substring(0, full.length() / 2));
            case BAD_GZIP:
                return new BookSite.Resource(
                        "application/gzip", utf8("these bytes are not gzip, whatever the type"));
            case ALTERNATES:
                return xml(alternates(host));
            case PARTNERS:
                return xml(partners(host));
            default:
                break;
        }
        int part = partPaths().indexOf(path);
        if (part < 0) {
            return null;
        }
        IntPredicate inPart = j -> j % PARTS == part;
        return switch (part) {
            case 0 -> xml(urlset(host, inPart));
            case 1 -> new BookSite.Resource("application/gzip", gzip(utf8(urlset(host, inPart))));
            case 2 ->
                    new BookSite.Resource(
                            "application/octet-stream", gzip(utf8(urlset(host, inPart))));
            case 3 -> new BookSite.Resource(XML, "gzip", gzip(utf8(urlset(host, inPart))));
            default ->
                    new BookSite.Resource(
                            "text/plain; charset=utf-8", utf8(textList(host, inPart)));
        };
    }

    private String index(int host) {
        StringBuilder sb =
                new StringBuilder(
                        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                + "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for (String path : partPaths()) {
            sb.append("<sitemap><loc>")
                    .append(site.base(host))
                    .append(path)
                    .append("</loc></sitemap>\n");
        }
        for (String path : List.of(BROKEN, MISSING, BAD_GZIP)) {
            sb.append("<sitemap><loc>")
                    .append(site.base(host))
                    .append(path)
                    .append("</loc></sitemap>\n");
        }
        return sb.append("</sitemapindex>\n").toString();
    }

    private String urlset(int host, IntPredicate pages) {
        StringBuilder sb = new StringBuilder(URLSET);
        for (int j = 0; j < site.pagesPerHost(); j++) {
            if (pages.test(j)) {
                sb.append("<url><loc>").append(site.url(host, j)).append("</loc></url>\n");
            }
        }
        return sb.append("</urlset>\n").toString();
    }

    private String textList(int host, IntPredicate pages) {
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < site.pagesPerHost(); j++) {
            if (pages.test(j)) {
                sb.append(site.url(host, j)).append('\n');
            }
        }
        return sb.toString();
    }

    private String alternates(int host) {
        StringBuilder sb =
                new StringBuilder(
                        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                + "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"\n"
                                + "        xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n");
        for (int j = 1; j <= ALTERNATE_ENTRIES && j < site.pagesPerHost(); j++) {
            String url = site.url(host, j);
            sb.append("<url><loc>")
                    .append(url)
                    .append("</loc>\n  <xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"")
                    .append(url)
                    .append("\"/>\n  <xhtml:link rel=\"alternate\" hreflang=\"fr\" href=\"")
                    .append(url)
                    .append("?lang=fr\"/>\n</url>\n");
        }
        return sb.append("</urlset>\n").toString();
    }

    private String partners(int host) {
        int next = (host + 1) % site.hosts();
        StringBuilder sb = new StringBuilder(URLSET);
        for (int h : new int[] {host, next}) {
            for (int j = 1; j <= PARTNER_ENTRIES && j < site.pagesPerHost(); j++) {
                sb.append("<url><loc>").append(site.url(h, j)).append("</loc></url>\n");
            }
        }
        return sb.append("</urlset>\n").toString();
    }

    private static BookSite.Resource xml(String text) {
        return new BookSite.Resource(XML, utf8(text));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("gzip into memory cannot fail", e);
        }
        return out.toByteArray();
    }
}
