package org.arachne.select;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

/**
 * One HTML page parsed once, with the URL it came from: the starting point for XPath and CSS
 * selectors and for {@link LinkExtractor}. The jsoup document is built with pretty-printing off, so
 * that an element's HTML reads as it did in the page.
 *
 * <p>Thread-safety: safe to query from several threads as long as nobody modifies {@link
 * #document()}.
 */
public final class Page {
    private final Document document;
    private final String baseUrl;
    private final Charset charset;

    private Page(Document document, String baseUrl, Charset charset) {
        this.document = document;
        this.baseUrl = baseUrl;
        this.charset = charset;
    }

    /**
     * Parses {@code html} with jsoup's HTML5 parser, which never fails: broken markup is repaired
     * the way browsers do. The page is taken to be UTF-8 (see {@link #charset()}).
     *
     * @param baseUrl the absolute URL of the page, against which relative links resolve
     */
    public static Page parse(String html, String baseUrl) {
        return parse(html, baseUrl, StandardCharsets.UTF_8);
    }

    /**
     * Parses {@code html}, decoded from {@code charset}, as {@link #parse(String, String)} does.
     *
     * @param charset the encoding the page came in, in which its links' queries are encoded
     */
    public static Page parse(String html, String baseUrl, Charset charset) {
        Document document = Jsoup.parse(html, baseUrl);
        document.outputSettings().prettyPrint(false);
        return new Page(document, baseUrl, Objects.requireNonNull(charset, "charset"));
    }

    /**
     * Evaluates an XPath 1.0 expression on the document.
     *
     * @throws IllegalArgumentException naming the expression and the problem, if it is invalid
     * @see Selection#xpath(String)
     */
    public Selection xpath(String expr) {
        return Selection.of(XPaths.select(XPaths.compile(expr), document));
    }

    /**
     * Matches a CSS query (with parsel's {@code ::text} and {@code ::attr(name)}) on the document.
     *
     * @throws IllegalArgumentException naming the query and the problem, if it cannot be parsed
     * @see Selection#css(String)
     */
    public Selection css(String query) {
        return Selection.single(document).css(query);
    }

    /** The parsed jsoup document. */
    public Document document() {
        return document;
    }

    /** The URL the page was parsed with. */
    public String baseUrl() {
        return baseUrl;
    }

    /**
     * The encoding the page came in. The query of a link on the page is percent-encoded in it, as
     * browsers and Scrapy do (the path in UTF-8): see {@link org.arachne.url.Urls#resolve(String,
     * String, Charset)}.
     */
    public Charset charset() {
        return charset;
    }

    /**
     * The URL relative links resolve against: the page's {@code <base href>} when it has one (jsoup
     * resolves it while parsing), else {@link #baseUrl()}.
     */
    String linkBaseUrl() {
        String fromDocument = document.baseUri();
        return fromDocument.isEmpty() ? baseUrl : fromDocument;
    }
}
