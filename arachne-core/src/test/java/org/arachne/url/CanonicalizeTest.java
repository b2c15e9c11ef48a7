package org.arachne.url;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Urls#canonicalize}, the form requests are deduplicated by (issue #9). The first table
 * holds the expected values of w3lib's {@code canonicalize_url} tests (Scrapy's fingerprint), the
 * others what Arachne does besides, and pairs of spellings that must (or must not) be one page.
 */
class CanonicalizeTest {

    @ParameterizedTest
    @CsvSource(
            delimiterString = " -> ",
            value = {
                "http://www.example.com/ -> http://www.example.com/",
                "http://www.example.com -> http://www.example.com/",
                "http://www.example.com/do?a=1&b=2&c=3 -> http://www.example.com/do?a=1&b=2&c=3",
                "http://www.example.com/do?c=1&b=2&a=3 -> http://www.example.com/do?a=3&b=2&c=1",
                "http://www.example.com/do?&a=1 -> http://www.example.com/do?a=1",
                "http://www.example.com:8888/do?a=1&b=2&c=3"
                        + " -> http://www.example.com:8888/do?a=1&b=2&c=3",
                "http://www.example.com:/do?a=1&b=2&c=3 -> http://www.example.com/do?a=1&b=2&c=3",
                "http://www.example.com/do?c=3&b=5&b=2&a=50"
                        + " -> http://www.example.com/do?a=50&b=2&b=5&c=3",
                "http://www.example.com/do?b=&a=2 -> http://www.example.com/do?a=2&b=",
                "http://www.example.com/do?b=&c&a=2 -> http://www.example.com/do?a=2&b=&c=",
                "http://www.example.com/do?1750,4 -> http://www.example.com/do?1750%2C4=",
                "http://www.example.com/do?q=a space&a=1 -> http://www.example.com/do?a=1&q=a+space",
                "http://www.example.com/do?q=a+space&a=1 -> http://www.example.com/do?a=1&q=a+space",
                "http://www.example.com/do?q=a%20space&a=1"
                        + " -> http://www.example.com/do?a=1&q=a+space",
                "http://www.example.com/résumé -> http://www.example.com/r%C3%A9sum%C3%A9",
                "http://www.example.com/résumé?q=résumé"
                        + " -> http://www.example.com/r%C3%A9sum%C3%A9?q=r%C3%A9sum%C3%A9",
                "http://www.example.com/r%c3%a9sum%c3%a9 -> http://www.example.com/r%C3%A9sum%C3%A9",
                "http://www.example.com/a%a3do -> http://www.example.com/a%A3do",
                "http://www.example.com/a%a3do?q=r%c3%a9sum%c3%a9"
                        + " -> http://www.example.com/a%A3do?q=r%C3%A9sum%C3%A9",
                "http://www.example.com/a%a3do?q=r%e9sum%e9"
                        + " -> http://www.example.com/a%A3do?q=r%E9sum%E9",
                "https://example.com/a%23b%2cc#bash -> https://example.com/a%23b,c",
                "https://example.com/a%23b,c -> https://example.com/a%23b,c",
                "http://www.example.com/do?k=b%a3 -> http://www.example.com/do?k=b%A3",
                "http://www.example.com/do?k=r%c3%a9sum%c3%a9"
                        + " -> http://www.example.com/do?k=r%C3%A9sum%C3%A9",
                "http://www.example.com/a do?a=1 -> http://www.example.com/a%20do?a=1",
                "http://www.example.com/a %20do?a=1 -> http://www.example.com/a%20%20do?a=1",
                "http://www.example.com/a do£.html?a=1"
                        + " -> http://www.example.com/a%20do%C2%A3.html?a=1",
                "http://www.example.com/do?price=£500&a=5&z=3"
                        + " -> http://www.example.com/do?a=5&price=%C2%A3500&z=3",
                "http://www.example.com/do?price(£)=500&a=1"
                        + " -> http://www.example.com/do?a=1&price%28%C2%A3%29=500",
                "http://user:pass@www.example.com:81/do?now=1"
                        + " -> http://user:pass@www.example.com:81/do?now=1",
                "http://user:pass@www.example.com/do?a=1#frag"
                        + " -> http://user:pass@www.example.com/do?a=1",
                "http://[::1]/do?a=1#frag -> http://[::1]/do?a=1",
                "http://www.simplybedrooms.com/White-Bedroom-Furniture/Bedroom-Mirror:-Josephine-Cheval-Mirror.html"
                        + " -> http://www.simplybedrooms.com/White-Bedroom-Furniture/Bedroom-Mirror:-Josephine-Cheval-Mirror.html",
                "http://www.example.com/caf%E9-con-leche.htm"
                        + " -> http://www.example.com/caf%E9-con-leche.htm",
                "http://www.EXAMPLE.com/ -> http://www.example.com/",
                "http://UsEr:PaSsWoRd@www.EXAMPLE.com/ -> http://UsEr:PaSsWoRd@www.example.com/",
                "http://www.bücher.de?q=bücher -> http://www.xn--bcher-kva.de/?q=b%C3%BCcher",
                "http://はじめよう.みんな/?query=サ&maxResults=5"
                        + " -> http://xn--p8j9a0d9c9a.xn--q9jyb4c/?maxResults=5&query=%E3%82%B5",
                "http://www.bücher.de:8080/?q=bücher"
                        + " -> http://www.xn--bcher-kva.de:8080/?q=b%C3%BCcher",
                "http://user@例え.jp/path -> http://user@xn--r8jz45g.jp/path",
                "http://user:pass@例え.jp:8080/p -> http://user:pass@xn--r8jz45g.jp:8080/p",
                "http://foo.com/AC%2FDC+rocks%3f/?yeah=1 -> http://foo.com/AC%2FDC+rocks%3F/?yeah=1",
                "http://foo.com/AC%2FDC/ -> http://foo.com/AC%2FDC/",
                "http://www.example.com/path/to/%23/foo/bar#frag"
                        + " -> http://www.example.com/path/to/%23/foo/bar",
                "' https://example.com ' -> https://example.com/",
                "http://www.example.com/path;params?x=1#frag"
                        + " -> http://www.example.com/path;params?x=1",
                "http://www.example.com/a;b/c;params?x=1 -> http://www.example.com/a;b/c;params?x=1",
            })
    void canonicalize_asW3libDoes(String url, String expected) {
        assertThat(Urls.canonicalize(url)).isEqualTo(expected);
    }

    /**
     * Where Arachne goes further than w3lib, as browsers do: the default port and dot segments go
     * (RFC 3986 section 6.2.3), {@code %7E} is {@code ~}; and the characters {@code java.net.URI}
     * refuses in a path ({@code [ ] | ^ { } `}) stay encoded, so a canonical URL can be fetched.
     */
    @ParameterizedTest
    @CsvSource(
            delimiterString = " -> ",
            value = {
                "HTTP://Example.COM:80/a/../b/c%20d?z=1&a=2#frag -> http://example.com/b/c%20d?a=2&z=1",
                "https://a.test:443/p -> https://a.test/p",
                "http://a.test/a/./b/. -> http://a.test/a/b/",
                "http://a.test/a/%2E%2E/b -> http://a.test/b",
                "http://a.test/a%7eb -> http://a.test/a~b",
                "http://a.test//a -> http://a.test//a",
                "http://a.test/b[1]|x -> http://a.test/b%5B1%5D%7Cx",
                "http://a.test/b%5B1%5D -> http://a.test/b%5B1%5D",
                "http://a.test/100% -> http://a.test/100%25",
                "http://a.test/p? -> http://a.test/p",
                "http://a.test/p?& -> http://a.test/p",
                "http://a.test/p?=x -> http://a.test/p?=x",
                "http://a.test/p?a=1=2 -> http://a.test/p?a=1%3D2",
                "http://a.test/p?b=%7e&a=~ -> http://a.test/p?a=~&b=~",
                "http://WWW.Bücher.DE/ -> http://www.xn--bcher-kva.de/",
                "http://www.b%C3%BCcher.de/ -> http://www.xn--bcher-kva.de/",
                "http://a.test/p?é=ü -> http://a.test/p?%C3%A9=%C3%BC",
            })
    void canonicalize_asBrowsersSeeTheUrl(String url, String expected) {
        assertThat(Urls.canonicalize(url)).isEqualTo(expected);
    }

    /** Spellings a server takes for one page are one request (issue #9). */
    @ParameterizedTest
    @CsvSource(
            delimiterString = " == ",
            value = {
                "http://a.test/s?q=a+b == http://a.test/s?q=a%20b",
                "http://a.test/s?q=a b == http://a.test/s?q=a+b",
                "http://a.test/s?b=2&a=1 == http://a.test/s?a=1&b=2",
                "http://a.test/s?a=2&a=1 == http://a.test/s?a=1&a=2",
                "http://a.test/s?q=%2C == http://a.test/s?q=,",
                "http://a.test/s?q=%28x%29 == http://a.test/s?q=(x)",
                "http://a.test/s?q=%2c == http://a.test/s?q=%2C",
                "http://a.test/a%2Cb == http://a.test/a,b",
                "http://a.test/f%28x%29 == http://a.test/f(x)",
                "http://a.test/%7Euser/ == http://a.test/~user/",
                "http://a.test/%41 == http://a.test/A",
                "http://www.bücher.de/ == http://www.xn--bcher-kva.de/",
                "http://a.test/p#one == http://a.test/p#two",
                "http://a.test/ == http://a.test:80/",
            })
    void canonicalize_sameForSpellingsOfOnePage(String one, String other) {
        assertThat(Urls.canonicalize(one)).isEqualTo(Urls.canonicalize(other));
    }

    /** What a server can tell apart stays apart: credentials, escaped delimiters, path case. */
    @ParameterizedTest
    @CsvSource(
            delimiterString = " != ",
            value = {
                "http://user:pass@a.test/ != http://a.test/",
                "http://user:pass@a.test/ != http://user:other@a.test/",
                "http://user:pass@a.test/ != http://other:pass@a.test/",
                "http://user@a.test/ != http://a.test/",
                "http://a.test/s?q=a%2Bb != http://a.test/s?q=a+b",
                "http://a.test/s?a=1%26b=2 != http://a.test/s?a=1&b=2",
                "http://a.test/a%2Fb != http://a.test/a/b",
                "http://a.test/a%3Fb != http://a.test/a?b",
                "http://a.test/a%23b != http://a.test/a#b",
                "http://a.test/A != http://a.test/a",
                "http://a.test/s?q != http://a.test/s",
                "http://a.test/a%25 != http://a.test/a%2525",
            })
    void canonicalize_differsForDifferentRequests(String one, String other) {
        assertThat(Urls.canonicalize(one)).isNotEqualTo(Urls.canonicalize(other));
    }

    /** Tabs and line breaks inside a URL are dropped, as w3lib and browsers do. */
    @org.junit.jupiter.api.Test
    void canonicalize_dropsTabsAndLineBreaks() {
        assertThat(Urls.canonicalize("http://exa\tmple.com/a\r\nb?q=a\tb"))
                .isEqualTo("http://example.com/ab?q=ab");
    }

    /** The quick path for already-canonical URLs gives what the full work gives. */
    @ParameterizedTest
    @CsvSource({
        "http://a.test/p",
        "http://a.test/p#frag",
        "http://a.test:8080/catalogue/book-00012.html",
        "http://a.test:80/p",
        "https://a.test:443/p",
        "http://a.test:/p",
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
        "http://a.test/it's(1)!*",
    })
    void canonicalize_quickPathAgreesWithTheFullWork(String url) {
        assertThat(Urls.canonicalize(url)).isEqualTo(CanonicalForm.of(url));
    }

    /** Canonicalising twice changes nothing. */
    @ParameterizedTest
    @CsvSource({
        "http://www.example.com/do?q=a space&a=1",
        "https://example.com/a%23b%2cc#bash",
        "http://www.bücher.de?q=bücher",
        "http://a.test/b[1]|x?x[1]=2",
        "http://u:p%40ss@a.test/%zz?%zz",
    })
    void canonicalize_isIdempotent(String url) {
        String once = Urls.canonicalize(url);
        assertThat(Urls.canonicalize(once)).isEqualTo(once);
        assertThat(java.net.URI.create(once).getHost()).isNotEmpty();
    }
}
