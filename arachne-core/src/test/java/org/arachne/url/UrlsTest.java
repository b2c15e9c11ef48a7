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
    })
    void isPlainHttpUrl_isNeverLooserThanAFullParse(String url, boolean plain) throws Exception {
        assertThat(Urls.isPlainHttpUrl(url)).isEqualTo(plain);
        if (plain) {
            java.net.URI uri = new java.net.URI(url);
            assertThat(uri.getHost()).isNotEmpty();
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

    /** The fast path of canonicalize must agree with crawler-commons' normaliser. */
    @ParameterizedTest
    @CsvSource({
        "http://a.test/p",
        "http://a.test/p#frag",
        "http://a.test:8080/catalogue/book-00012.html",
        "http://a.test:80/p",
        "https://a.test:443/p",
        "http://A.test/p",
        "http://a.test",
        "http://a.test/a/./b",
        "http://a.test/a/../b",
        "http://a.test//a",
        "http://a.test/a/..",
        "http://a.test/a%7Eb",
        "http://a.test/p?b=1&a=2",
        "http://a.test/P/Q.HTML",
        "http://127.0.0.11:8080/",
        "http://a.test/p;x=1",
        "http://a.test/~user/",
    })
    void canonicalize_fastPathAgreesWithTheNormaliser(String url) {
        crawlercommons.filters.basic.BasicURLNormalizer normaliser =
                crawlercommons.filters.basic.BasicURLNormalizer.newBuilder()
                        .queryParamsToRemove(java.util.Set.of())
                        .build();
        assertThat(Urls.canonicalize(url)).isEqualTo(normaliser.filter(url));
    }
}
