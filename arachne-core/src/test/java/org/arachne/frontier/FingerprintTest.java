package org.arachne.frontier;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.arachne.http.Body;
import org.arachne.http.Request;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which requests are one for deduplication: Scrapy's fingerprint (issue #9). */
class FingerprintTest {

    @ParameterizedTest
    @CsvSource(
            delimiterString = " == ",
            value = {
                "http://a.test/s?q=a+b == http://a.test/s?q=a%20b",
                "http://a.test/s?q=a b == http://a.test/s?q=a+b",
                "http://a.test/s?b=2&a=1 == http://a.test/s?a=1&b=2",
                "http://a.test/s?a=2&a=1 == http://a.test/s?a=1&a=2",
                "http://a.test/s?q=%2C == http://a.test/s?q=,",
                "http://a.test/a%2Cb == http://a.test/a,b",
                "http://a.test/f%28x%29 == http://a.test/f(x)",
                "http://www.bücher.de/p == http://www.xn--bcher-kva.de/p",
                "http://a.test/p#one == http://a.test/p",
            })
    void of_sameForSpellingsOfOnePage(String one, String other) {
        assertThat(Fingerprint.of(Request.get(one))).isEqualTo(Fingerprint.of(Request.get(other)));
    }

    @ParameterizedTest
    @CsvSource(
            delimiterString = " != ",
            value = {
                "http://user:pass@a.test/ != http://a.test/",
                "http://user:pass@a.test/ != http://user:other@a.test/",
                "http://alice@a.test/ != http://bob@a.test/",
                "http://a.test/s?q=a%2Bb != http://a.test/s?q=a+b",
                "http://a.test/a%2Fb != http://a.test/a/b",
            })
    void of_differsForDifferentRequests(String one, String other) {
        assertThat(Fingerprint.of(Request.get(one)))
                .isNotEqualTo(Fingerprint.of(Request.get(other)));
    }

    @Test
    void of_methodAndBodyCount_headersDoNot() {
        Request get = Request.get("http://a.test/p");
        Request post = get.withMethod("POST").withBody(Body.utf8("a=1"));

        assertThat(Fingerprint.of(get)).isNotEqualTo(Fingerprint.of(post));
        assertThat(Fingerprint.of(post))
                .isNotEqualTo(
                        Fingerprint.of(
                                post.withBody(Body.wrap("a=2".getBytes(StandardCharsets.UTF_8)))));
        assertThat(Fingerprint.of(get.withHeader("Accept", "text/html")))
                .isEqualTo(Fingerprint.of(get));
    }
}
