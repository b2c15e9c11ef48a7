package org.arachne.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestTest {

    @Test
    void meta_thatCannotBeStored_isRefused_namingTheKeyAndUrl() {
        Request r = Request.get("http://a.test/p");
        assertThatThrownBy(() -> r.withMeta("when", Instant.EPOCH))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("meta 'when' of http://a.test/p holds a java.time.Instant");
        assertThatThrownBy(() -> r.withMeta("nested", List.of(Map.of("k", new Object()))))
                .hasMessageContaining(
                        "meta 'nested[0].k' of http://a.test/p holds a java.lang.Object");
        assertThatThrownBy(() -> r.withMeta("keys", Map.of(1, "one")))
                .hasMessageContaining("java.lang.Integer");
    }

    @Test
    void meta_ofJsonLikeValues_isKept() {
        Request r =
                Request.get("http://a.test/p")
                        .withMeta("list", List.of("a", 1, 2L, 0.5, true))
                        .withMeta("map", Map.of("k", List.of()));
        assertThat(r.meta()).containsKeys("list", "map");
    }

    /**
     * What Scrapy's {@code Request} takes and a browser loads is requested (issue #9): surrounding
     * whitespace trimmed, unsafe characters percent-encoded as the WHATWG URL standard does
     * (UTF-8), an international host in punycode. The URL a request holds can always be sent.
     */
    @ParameterizedTest
    @CsvSource(
            delimiterString = " -> ",
            value = {
                "'  http://a.test/p  ' -> http://a.test/p",
                "http://a.test/a b -> http://a.test/a%20b",
                "http://a.test/p?q=a b -> http://a.test/p?q=a%20b",
                "http://a.test/ü?q=ü#ü -> http://a.test/%C3%BC?q=%C3%BC#%C3%BC",
                "http://www.bücher.de/ -> http://www.xn--bcher-kva.de/",
                "http://a.test/p|q -> http://a.test/p%7Cq",
                "http://a.test/{x}^` -> http://a.test/%7Bx%7D%5E%60",
                "http://a.test/b[1] -> http://a.test/b%5B1%5D",
                "http://a.test/p?x[1]=2 -> http://a.test/p?x[1]=2",
                "http://a.test/100% -> http://a.test/100%25",
                "http://a.test/p#a#b -> http://a.test/p#a%23b",
                "http://a.test:/p -> http://a.test/p",
                "HTTP://A.test/P -> HTTP://A.test/P",
                "'http://a.test/\"q\"<r>' -> http://a.test/%22q%22%3Cr%3E",
                "http://a.test/p?q=%E9 -> http://a.test/p?q=%E9",
                "http://[::1]:8080/p -> http://[::1]:8080/p",
                "http://u:p w@a.test/ -> http://u:p%20w@a.test/",
                // WHATWG reads \ as / in an http(s) authority and path, and the slashes after
                // the scheme whatever their number (#9; refused before, though browsers load them)
                "http:\\\\a.test\\p\\q?r\\s -> http://a.test/p/q?r%5Cs",
                "http:///a.test/p -> http://a.test/p",
                "http:a.test/p -> http://a.test/p",
            })
    void get_acceptsWhatABrowserLoads(String url, String sent) {
        Request request = Request.get(url);

        assertThat(request.url()).isEqualTo(sent);
        assertThat(java.net.URI.create(request.url()).getHost()).isNotEmpty();
    }

    @Test
    void get_tabsAndLineBreaksInside_areDropped() {
        assertThat(Request.get("\thttp://a.test/a\n/b\r\n").url()).isEqualTo("http://a.test/a/b");
    }

    /** What no browser loads is refused, and the message says why. */
    @ParameterizedTest
    @CsvSource(
            delimiterString = " -> ",
            value = {
                "a.test/p -> no scheme",
                "/p?q=1 -> no scheme",
                "ftp://a.test/ -> scheme 'ftp'",
                "mailto:me@a.test -> scheme 'mailto'",
                "about:blank -> scheme 'about'",
                "javascript:void(0) -> scheme 'javascript'",
                "data:text/html -> a data: URL needs a comma",
                "data: -> a data: URL needs a comma",
                "http:// -> no host",
                "'http:\\\\' -> no host",
                "http://a.test:99999/ -> port 99999 is out of range",
                "http://a.test:8x/ -> port '8x' is not a number",
                "http://a b.test/ -> the host 'a b.test' holds ' '",
                "http://a.test<x>/ -> the host 'a.test<x>' holds '<'",
                "http://[::1/ -> [::1' is not an IPv6 address",
                "http://[zz]/ -> [zz]' is not an IPv6 address",
                "http://my_host.test/ -> '_'",
                "http://.bücher.de/ -> not a valid international domain name",
                "'   ' -> empty",
            })
    void get_refusesWhatNoBrowserLoads_sayingWhy(String url, String why) {
        assertThatThrownBy(() -> Request.get(url))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid URL")
                .hasMessageContaining(why);
    }

    /**
     * A {@code data:} URL (RFC 2397) is a request, as in Scrapy, answered from the URL itself (#9):
     * kept as written but for what the WHATWG URL parser encodes in it (controls and non-ASCII, as
     * UTF-8; in the query and fragment also spaces, quotes and angle brackets).
     */
    @ParameterizedTest
    @CsvSource(
            delimiterString = " -> ",
            value = {
                "data:,hello -> data:,hello",
                "'  data:text/plain,a b  ' -> data:text/plain,a b",
                "data:text/html,<p>é</p> -> data:text/html,<p>%C3%A9</p>",
                "data:;base64,SGk= -> data:;base64,SGk=",
                "'data:,a b?c d#e f' -> data:,a b?c%20d#e%20f",
                "DATA:,x -> DATA:,x",
            })
    void get_dataUrl_isARequest(String url, String kept) {
        Request request = Request.get(url);

        assertThat(request.url()).isEqualTo(kept);
        assertThat(request.host()).isEmpty();
    }

    @Test
    void refusal_andToString_neverShowThePassword() {
        assertThatThrownBy(() -> Request.get("http://user:secret@a b/"))
                .hasMessageNotContaining("secret")
                .hasMessageContaining("user:***@");
        Request request = Request.get("http://user:secret@a.test/p");
        assertThat(request.url()).isEqualTo("http://user:secret@a.test/p");
        assertThat(request.toString()).isEqualTo("GET http://user:***@a.test/p");
        assertThatThrownBy(() -> request.withMeta("when", Instant.EPOCH))
                .hasMessageNotContaining("secret");
    }

    @Test
    void postJson_sendsTheValueAsJson() {
        Map<String, Object> query = new java.util.LinkedHashMap<>();
        query.put("q", "salt");
        query.put("page", 2);
        query.put("tags", List.of("a", "é"));

        Request request = Request.postJson("http://a.test/api/search", query);

        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.headers().first("content-type")).isEqualTo("application/json");
        assertThat(request.body().decode(StandardCharsets.UTF_8))
                .isEqualTo("{\"q\":\"salt\",\"page\":2,\"tags\":[\"a\",\"é\"]}");
        assertThat(request.callbackName()).isEqualTo("parse");
    }

    @Test
    void postJson_valueJacksonCannotWrite_isRefused() {
        assertThatThrownBy(() -> Request.postJson("http://a.test/", new Object()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot write the request body as JSON");
    }

    @Test
    void postForm_encodesFieldsInOrder_collectionsRepeated() {
        Map<String, Object> fields = new java.util.LinkedHashMap<>();
        fields.put("user name", "a&b");
        fields.put("tag", List.of("x", "y"));
        fields.put("n", 3);

        Request request = Request.postForm("http://a.test/form", fields);

        assertThat(request.headers().first("Content-Type"))
                .isEqualTo("application/x-www-form-urlencoded");
        assertThat(request.body().decode(StandardCharsets.UTF_8))
                .isEqualTo("user+name=a%26b&tag=x&tag=y&n=3");
    }

    @Test
    void withJsonBody_keepsTheMethod_replacesTheContentType() {
        Request request =
                Request.get("http://a.test/")
                        .withMethod("PUT")
                        .withHeader("Content-Type", "text/plain")
                        .withJsonBody(Map.of("a", 1));

        assertThat(request.method()).isEqualTo("PUT");
        assertThat(request.headers().all("Content-Type")).containsExactly("application/json");
        assertThat(request.body().decode(StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
    }
}
