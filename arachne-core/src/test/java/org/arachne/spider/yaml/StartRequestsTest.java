package org.arachne.spider.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.arachne.frontier.Fingerprint;
import org.arachne.http.Request;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code start_requests:}: method, headers, bodies, callback and meta, and their mistakes. */
class StartRequestsTest {
    private static List<Request> startRequests(String yaml, Map<String, String> arguments) {
        return new DeclarativeSpider(YamlSpiders.parse(yaml, "s.yaml", arguments)).startRequests();
    }

    private static String body(Request request) {
        return request.body().decode(StandardCharsets.UTF_8);
    }

    @Test
    void jsonBody_isPostedAsJsonWithArgumentsSubstituted() {
        List<Request> requests =
                startRequests(
                        """
                        name: search
                        arguments: {host: ~, q: salt}
                        start_requests:
                          - url: 'http://${host}/api/search'
                            json: {q: '${q}', page: 2, exact: false, price: 12.50, tags: [a, ~]}
                            headers: {X-Client: 'arachne ${q}'}
                        """,
                        Map.of("host", "a.test", "q", "orchard"));

        Request request = requests.get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.url()).isEqualTo("http://a.test/api/search");
        assertThat(request.headers().first("Content-Type")).isEqualTo("application/json");
        assertThat(request.headers().first("X-Client")).isEqualTo("arachne orchard");
        assertThat(body(request))
                .isEqualTo(
                        "{\"q\":\"orchard\",\"page\":2,\"exact\":false,\"price\":12.50,\"tags\":[\"a\",null]}");
    }

    @Test
    void formBody_methodAndCallbackAndMeta() {
        List<Request> requests =
                startRequests(
                        """
                        name: form
                        start_urls: ['http://a.test/']
                        start_requests:
                          - url: 'http://a.test/echo'
                            method: put
                            form: {user: 'a b', tag: [x, y]}
                            callback: echo
                            meta: {source: start, page: 1}
                        items:
                          - name: echo
                            fields: {title: //title/text()}
                        """,
                        Map.of());

        assertThat(requests)
                .extracting(Request::url)
                .containsExactly("http://a.test/", "http://a.test/echo");
        Request request = requests.get(1);
        assertThat(request.method()).isEqualTo("PUT");
        assertThat(request.headers().first("Content-Type"))
                .isEqualTo("application/x-www-form-urlencoded");
        assertThat(body(request)).isEqualTo("user=a+b&tag=x&tag=y");
        assertThat(request.callback()).isEqualTo("echo");
        assertThat(request.meta())
                .containsEntry("source", "start")
                .containsEntry("page", BigInteger.ONE);
    }

    @Test
    void textBody_keepsAGivenContentType_getWithoutBodyByDefault() {
        List<Request> requests =
                startRequests(
                        """
                        name: text
                        start_requests:
                          - url: 'http://a.test/graphql'
                            headers: {Content-Type: application/graphql}
                            body: '{ books { title } }'
                          - url: 'http://a.test/plain'
                        """,
                        Map.of());

        assertThat(requests.get(0).method()).isEqualTo("POST");
        assertThat(requests.get(0).headers().all("Content-Type"))
                .containsExactly("application/graphql");
        assertThat(body(requests.get(0))).isEqualTo("{ books { title } }");
        assertThat(requests.get(1).method()).isEqualTo("GET");
        assertThat(requests.get(1).body().isEmpty()).isTrue();
    }

    @Test
    void twoPostsToOneUrl_withDifferentBodies_areDifferentRequests() {
        List<Request> requests =
                startRequests(
                        """
                        name: two
                        start_requests:
                          - {url: 'http://a.test/api/search', json: {q: salt}}
                          - {url: 'http://a.test/api/search', json: {q: atlas}}
                          - {url: 'http://a.test/api/search', json: {q: salt}, method: PUT}
                        """,
                        Map.of());

        assertThat(requests.stream().map(Fingerprint::of).distinct()).hasSize(3);
    }

    @ParameterizedTest
    @CsvSource(
            delimiterString = " => ",
            value = {
                "{url: 'http://a.test/', json: 1, body: x}"
                        + " => s.yaml:3:44: start_requests[0].body: a request has one body; give"
                        + " json, form or body, not json and body",
                "{url: 'http://a.test/', method: 'GE T'}"
                        + " => s.yaml:3:37: start_requests[0].method: 'GE T' is no HTTP method;"
                        + " give GET, POST, PUT, ...",
                "{url: 'http://a.test/', callback: bok}"
                        + " => s.yaml:3:39: start_requests[0].callback: unknown callback 'bok';"
                        + " give parse or the name of an item block; did you mean 'book'?",
                "{url: 'ftp://a.test/'}"
                        + " => s.yaml:3:11: start_requests[0].url: invalid URL 'ftp://a.test/'",
                "{json: {}}"
                        + " => s.yaml:3:5: start_requests[0].url: missing; give an absolute http(s) URL",
                "{url: 'http://a.test/', meta: [a]}"
                        + " => s.yaml:3:35: start_requests[0].meta: expected a mapping, got a list",
                "{url: 'http://a.test/', bodi: x}"
                        + " => s.yaml:3:29: start_requests[0].bodi: unknown key 'bodi'; did you mean 'body'?",
            })
    void mistakes_areReportedAtTheirLine(String entry, String expected) {
        String yaml =
                "name: bad\nstart_requests:\n  - "
                        + entry
                        + "\nitems:\n  - name: book\n    fields: {t: //h1/text()}\n";

        List<Problem> problems = YamlSpiders.check(yaml, "s.yaml");

        assertThat(problems)
                .extracting(Problem::toString)
                .anySatisfy(p -> assertThat(p).startsWith(expected));
    }
}
