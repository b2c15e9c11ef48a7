package org.arachne.url;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.jsoup.internal.StringUtil;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UrlsTest {

    /**
     * The fast path for common links agrees with the full RFC 3986 resolution, and both with
     * jsoup's {@code StringUtil.resolve}, which the full resolution replaced (issue #8).
     */
    @ParameterizedTest
    @CsvSource({
        "http://a.test:8080/, catalogue/book-00012.html",
        "http://a.test:8080/catalogue/book-00001.html, book-00012.html",
        "http://a.test:8080/catalogue/book-00001.html, /",
        "http://a.test:8080/catalogue/book-00001.html, /private/account.html",
        "http://a.test:8080/catalogue/book-00001.html, http://b.test:8080/catalogue/book-9.html",
        "http://a.test:8080/catalogue/book-00001.html?x=1#f, sub/page.html",
        "http://a.test, page.html",
        "http://a.test?q=1, page.html",
        "http://a.test/dir/, page.html?b=2&a=1",
        "http://a.test/dir/x.html, ../up.html",
        "http://a.test/dir/x.html, ./same.html",
        "http://a.test/dir/x.html, ..",
        "http://a.test/dir/x.html, ?start=25&filter=",
        "http://a.test/dir/x.html, #top",
        "http://a.test/dir/x.html, //b.test/p",
        "https://a.test/dir/x.html, HTTPS://B.test/P",
        "http://a.test/dir/x.html, a:b/c.html",
        "http://a.test/dir/x.html, b.html:c",
    })
    void resolve_agreesWithFullResolution(String base, String href) {
        assertThat(Urls.resolve(base, href))
                .isEqualTo(ReferenceResolver.resolve(base, href))
                .isEqualTo(StringUtil.resolve(base, href));
    }

    @ParameterizedTest
    @CsvSource({
        "http://a.test/dir/, ' my page.html ', http://a.test/dir/my%20page.html",
        "http://a.test/dir/, 中文.html, http://a.test/dir/%E4%B8%AD%E6%96%87.html",
        "http://a.test/dir/, 'a%20b.html', http://a.test/dir/a%20b.html",
        "http://a.test/dir/, '/p?q=a b', http://a.test/p?q=a%20b",
    })
    void resolve_encodesWhatAUriCannotHold(String base, String href, String expected) {
        assertThat(Urls.resolve(base, href)).isEqualTo(expected);
    }

    /**
     * Backslashes in http(s) links, as the WHATWG URL parser (and so every browser) reads them: a
     * {@code \} is a {@code /} in the authority and the path, the slashes after a scheme or at the
     * start of a reference start the authority however many there are ("special authority ignore
     * slashes state"), and the query and fragment keep theirs: it is no separator there (the query
     * percent-encode set leaves it out; here it is written {@code %5C}, since {@code java.net.URI},
     * which the HTTP client parses with, refuses a raw one). Rows marked WPT are from
     * web-platform-tests' {@code url/resources/urltestdata.json}. Scrapy's {@code urljoin} would
     * keep the backslashes as path characters.
     */
    @ParameterizedTest
    @CsvSource(
            delimiterString = " | ",
            value = {
                // base | link | resolved
                "http://example.org/foo/bar | \\x | http://example.org/x", // WPT
                "http://example.org/foo/bar | \\\\x\\hello | http://x/hello", // WPT
                "http://example.org/ | /\\/\\//example.org/../path | http://example.org/path", // WPT
                "http://example.org/foo/bar | http:\\\\www.google.com\\foo | http://www.google.com/foo",
                "http://a.test/dir/page | \\\\other.test\\x | http://other.test/x",
                "http://a.test/dir/page | /\\other.test/x | http://other.test/x",
                "http://a.test/dir/page | a\\b | http://a.test/dir/a/b",
                "http://a.test/dir/sub/page | ..\\up | http://a.test/dir/up",
                "http://a.test/dir/page | a\\b?c\\d#e\\f | http://a.test/dir/a/b?c%5Cd#e%5Cf",
                "http://a.test/dir/page | ?q=\\ | http://a.test/dir/page?q=%5C",
                "http://a.test/dir/page | http:\\x | http://a.test/x",
                "http://a.test/dir/page | https:\\\\b.test\\p | https://b.test/p",
                "http://a.test/dir/page | https:b.test/p | https://b.test/p",
                "http://a.test/dir/page | http://b.test\\p\\q.html | http://b.test/p/q.html",
                "http://a.test/dir/page | http://u:pw@b.test:81\\p | http://u:pw@b.test:81/p",
                "http://a.test/dir/page | ////b.test/p | http://b.test/p",
            })
    void resolve_readsBackslashesAsBrowsersDo(String base, String href, String expected) {
        assertThat(Urls.resolve(base, href)).isEqualTo(expected);
        assertThat(Urls.requestUrl(Urls.resolve(base, href))).isEqualTo(expected);
    }

    /** The same in a URL given whole ({@code Request.get}): no base, so it is absolute. */
    @ParameterizedTest
    @CsvSource(
            delimiterString = " | ",
            value = {
                "http:\\\\www.google.com\\foo | http://www.google.com/foo", // WPT
                "http:\\\\example.com\\a\\b | http://example.com/a/b",
                "http://example.com\\a\\b | http://example.com/a/b",
                "http://example.com\\\\a | http://example.com//a",
                "https://user@example.com:8443\\p | https://user@example.com:8443/p",
                "HTTP:\\\\Example.com\\P | HTTP://Example.com/P",
                "http:\\\\\\\\example.com\\ | http://example.com/",
                "http://example.com/p?q=a\\b#c\\d | http://example.com/p?q=a%5Cb#c%5Cd",
                "http:/example.com/p | http://example.com/p",
                "http:example.com/p | http://example.com/p",
                "http:///example.com/p | http://example.com/p",
            })
    void requestUrl_readsBackslashesAsBrowsersDo(String url, String expected) {
        assertThat(Urls.requestUrl(url)).isEqualTo(expected);
    }

    /** Other schemes keep their backslashes: they are no separators there (WHATWG). */
    @ParameterizedTest
    @CsvSource(
            delimiterString = " | ",
            value = {
                "http://a.test/dir/page | mailto:a\\b@c.test | mailto:a%5Cb@c.test",
                "http://a.test/dir/page | javascript:go('a\\b') | javascript:go('a%5Cb')",
            })
    void resolve_otherSchemesKeepTheirBackslashes(String base, String href, String expected) {
        assertThat(Urls.resolve(base, href)).isEqualTo(expected);
        assertThat(Urls.join(base, href)).isEqualTo(href);
    }

    @ParameterizedTest
    @CsvSource({
        "HTTP://Example.COM:80/a/../b/c%20d?z=1&a=2#frag, http://example.com/b/c%20d?a=2&z=1",
        "http://a.test/p?b=2&a=1, http://a.test/p?a=1&b=2",
        "http://a.test, http://a.test/",
    })
    void canonicalize(String url, String expected) {
        assertThat(Urls.canonicalize(url)).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void resolve_refusesWhatCannotBeResolved() {
        assertThatThrownBy(() -> Urls.resolve("not a url", "x.html"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("x.html");
    }

    @ParameterizedTest
    @CsvSource({
        "http://A.test:8080/x, a.test",
        "https://a.test, a.test",
        "http://user:pw@a.test:81/x, a.test",
        "http://[::1]:8080/x, [::1]",
        "http://127.0.0.11:8080/?q=1, 127.0.0.11",
    })
    void host(String url, String expected) {
        assertThat(Urls.host(url)).isEqualTo(expected);
        assertThat(Urls.host(url))
                .isEqualTo(java.net.URI.create(url).getHost().toLowerCase(java.util.Locale.ROOT));
    }

    /** The quick scan never accepts a URL that a full parse refuses. */
    @ParameterizedTest
    @CsvSource({
        "http://a.test/p?q=1#f, true",
        "http://a.test:8080/, true",
        "HTTP://A.TEST/, true",
        "http://a.test:80x/, false",
        "http://a b/, false",
        "http://a.test/a b, false",
        "http://my_host.test/, false",
        "ftp://a.test/, false",
        "http:///p, false",
        "http://a.test/%zz, false",
        "http://a-.test/, false",
        "http://-a.test/, false",
        "http://a..test/, false",
        "http://a.test./, true",
        "http://a.123/, false",
        "http://999.1.1.1/, false",
        "http://1.2.3.4/, true",
        "http://a.test:65535/, true",
        "http://a.test:65536/, false",
        "http://a.test:/, false",
        "http://a.test/b[1], false",
        "http://a.test/p?x[1]=2#y[2], true",
        "http://a.test/p#a#b, false",
        "http://a.test/p|q, false",
        "http://u@a.test/, false",
        "http://a.test/%7e?q=%2C#%20, true",
    })
    void isPlainHttpUrl_isNeverLooserThanAFullParse(String url, boolean plain) throws Exception {
        assertThat(Urls.isPlainHttpUrl(url)).isEqualTo(plain);
        if (plain) {
            java.net.URI uri = new java.net.URI(url);
            assertThat(uri.getHost()).isNotEmpty();
            assertThat(Urls.requestUrl(url)).isSameAs(url);
        }
    }

    @ParameterizedTest
    @CsvSource({
        "http://A.test:80/x?y, http://a.test",
        "https://a.test:443/, https://a.test",
        "http://a.test:8080/x, http://a.test:8080",
        "http://u:p@a.test:8080/x, http://a.test:8080",
        "http://[::1]:8080/x, http://[::1]:8080",
    })
    void origin(String url, String expected) {
        assertThat(Urls.origin(url)).isEqualTo(expected);
    }

    /**
     * A link's host is requested in punycode, however the page spells it (issue #9: the host used
     * to be percent-encoded, and the request refused).
     */
    @ParameterizedTest
    @CsvSource(
            delimiterString = " -> ",
            value = {
                "http://www.bücher.de/ -> http://www.xn--bcher-kva.de/",
                "//www.bücher.de/a?q=1 -> http://www.xn--bcher-kva.de/a?q=1",
                "http://WWW.Bücher.de:8080/ü -> http://WWW.xn--bcher-kva.de:8080/%C3%BC",
                "http://www.b%C3%BCcher.de/ -> http://www.xn--bcher-kva.de/",
                "http://user:pä@bücher.de/ -> http://user:p%C3%A4@xn--bcher-kva.de/",
                "http://はじめよう.みんな/ -> http://xn--p8j9a0d9c9a.xn--q9jyb4c/",
            })
    void resolve_internationalHost_becomesPunycode(String href, String expected) {
        assertThat(Urls.resolve("http://a.test/dir/", href)).isEqualTo(expected);
    }

    /**
     * The query of a link is encoded in the page's encoding, as browsers and Scrapy do (WHATWG URL
     * parser, "query state"); a character the encoding lacks becomes a numeric character reference,
     * as a browser sends it. The path and the fragment are always UTF-8.
     */
    @ParameterizedTest
    @CsvSource(
            delimiterString = " -> ",
            value = {
                "windows-1252 | /s?q=é -> http://a.test/s?q=%E9",
                "windows-1252 | /é?q=é#é -> http://a.test/%C3%A9?q=%E9#%C3%A9",
                "windows-1251 | /s?country=Россия -> http://a.test/s?country=%D0%EE%F1%F1%E8%FF",
                "windows-1251 | /s?q=é -> http://a.test/s?q=%26%23233%3B",
                "GBK | /s?q=中文 -> http://a.test/s?q=%D6%D0%CE%C4",
                "Shift_JIS | /s?q=日本 -> http://a.test/s?q=%93%FA%96%7B",
                "UTF-8 | /s?q=é -> http://a.test/s?q=%C3%A9",
                "UTF-16LE | /s?q=é -> http://a.test/s?q=%C3%A9",
                "ISO-8859-1 | /s?q=a b&r=%E9 -> http://a.test/s?q=a%20b&r=%E9",
                "ISO-8859-1 | ?q=€ -> http://a.test/p?q=%26%238364%3B",
            })
    void resolve_queryInThePageEncoding(String charsetAndHref, String expected) {
        String[] parts = charsetAndHref.split(" \\| ");
        java.nio.charset.Charset charset = java.nio.charset.Charset.forName(parts[0]);
        assertThat(Urls.resolve("http://a.test/p", parts[1], charset)).isEqualTo(expected);
    }

    /** {@code join} resolves as RFC 3986 says and encodes nothing, as Python's urljoin. */
    @ParameterizedTest
    @CsvSource(
            delimiterString = " -> ",
            value = {
                "a b.html -> http://a.test/dir/a b.html",
                "../x?q=é -> http://a.test/x?q=é",
                "'javascript:go(''../p.html''); return false'"
                        + " -> 'javascript:go(''../p.html''); return false'",
                "' /p ' -> http://a.test/p",
            })
    void join_resolvesWithoutEncoding(String href, String expected) {
        assertThat(Urls.join("http://a.test/dir/", href)).isEqualTo(expected);
    }

    /** Credentials never reach a log line: the password, or a lone user name (often a token). */
    @ParameterizedTest
    @CsvSource(
            delimiterString = " -> ",
            value = {
                "http://user:secret@a.test/p -> http://user:***@a.test/p",
                "https://token@a.test -> https://***@a.test",
                "http://user:@a.test/ -> http://user:***@a.test/",
                "http://a.test/p?u=me@x.test -> http://a.test/p?u=me@x.test",
                "http://a.test/p -> http://a.test/p",
                "mailto:me@a.test -> mailto:me@a.test",
                "'GET http://u:p@a.test/ failed (redirect to https://v:q@b.test/x)'"
                        + " -> 'GET http://u:***@a.test/ failed (redirect to https://v:***@b.test/x)'",
                "'see http://u:p@a.test' -> 'see http://u:***@a.test'",
                "'no url here' -> 'no url here'",
                "http://u:***@a.test/ -> http://u:***@a.test/",
                "socks5://****@127.0.0.1:1 -> socks5://****@127.0.0.1:1",
            })
    void redacted_masksCredentials(String text, String expected) {
        assertThat(Urls.redacted(text)).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void redacted_unchangedText_isTheSameString() {
        String url = "http://a.test/p?q=1";
        assertThat(Urls.redacted(url)).isSameAs(url);
    }
}
