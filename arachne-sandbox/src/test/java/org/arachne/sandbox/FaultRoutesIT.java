package org.arachne.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;
import org.arachne.sandbox.route.CharsetRoute;
import org.arachne.sandbox.route.CompressedRoute;
import org.arachne.sandbox.route.HeadersRoute;
import org.arachne.sandbox.route.RedirectRoute;
import org.arachne.sandbox.route.ResetRoute;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FaultRoutesIT {
    private Sandbox sandbox;

    @BeforeEach
    void setUp() throws Exception {
        sandbox = Sandbox.shared();
        sandbox.reset();
    }

    private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        return TestHttp.get(sandbox.uri(path), headers);
    }

    private static String utf8(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    void slow_waitsBeforeAnswering() throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<byte[]> r = get("/fault/slow?ms=200");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - t0))
                .isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }

    @Test
    void drip_sendsTheBodyInTimedChunks() throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<byte[]> r = get("/fault/drip?bytes=6&ms=50&chunk=2");
        assertThat(r.body()).hasSize(6);
        assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(6);
        assertThat(Duration.ofNanos(System.nanoTime() - t0))
                .isGreaterThanOrEqualTo(Duration.ofMillis(100));
    }

    @Test
    void reset_truncatesTheDeclaredBody() {
        assertThatThrownBy(() -> get("/fault/reset")).isInstanceOf(IOException.class);
        assertThat(ResetRoute.PROMISED).isGreaterThan(1000);
    }

    @Test
    void drop_closesWithoutResponse() {
        assertThatThrownBy(() -> get("/fault/drop")).isInstanceOf(IOException.class);
    }

    @Test
    void flaky_failsNTimesPerKeyThenSucceeds() throws Exception {
        String path = "/fault/flaky?key=k1&fails=2&status=502";
        assertThat(get(path).statusCode()).isEqualTo(502);
        assertThat(get(path).statusCode()).isEqualTo(502);
        assertThat(get(path).statusCode()).isEqualTo(200);
        assertThat(get("/fault/flaky?key=k2&fails=1").statusCode()).isEqualTo(503);
        sandbox.reset();
        assertThat(get(path).statusCode()).isEqualTo(502);
    }

    @Test
    void ratelimit_answers429WithRetryAfterThen200() throws Exception {
        String path = "/fault/ratelimit?key=r1&fails=1&retry_after=7";
        HttpResponse<byte[]> limited = get(path);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("7");
        assertThat(get(path).statusCode()).isEqualTo(200);
    }

    @Test
    void redirect_chainOfNEndsAt200() throws Exception {
        HttpResponse<byte[]> first = get("/fault/redirect?n=3");
        assertThat(first.statusCode()).isEqualTo(302);
        assertThat(first.headers().firstValue("Location")).hasValue("/fault/redirect?n=2&code=302");
        assertThat(get("/fault/redirect?n=1&code=307").headers().firstValue("Location"))
                .hasValue("/fault/redirect?n=0&code=307");
        assertThat(get("/fault/redirect?n=2&code=301").statusCode()).isEqualTo(301);
        HttpResponse<byte[]> last = get("/fault/redirect?n=0");
        assertThat(last.statusCode()).isEqualTo(200);
        assertThat(utf8(last)).contains(RedirectRoute.FINAL_TITLE);
        assertThat(get("/fault/redirect?n=1&code=305").statusCode()).isEqualTo(400);
    }

    @Test
    void redirectLoop_bouncesBetweenTwoUrls() throws Exception {
        assertThat(get("/fault/redirect-loop").headers().firstValue("Location"))
                .hasValue("/fault/redirect-loop?to=b");
        assertThat(get("/fault/redirect-loop?to=b").headers().firstValue("Location"))
                .hasValue("/fault/redirect-loop");
    }

    @Test
    void metaRefresh_pageNamesTargetAndDelay() throws Exception {
        HttpResponse<byte[]> page = get("/fault/meta-refresh?to=%2Fpage%3Fx%3D1&delay=7");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(utf8(page))
                .contains("<meta http-equiv=\"refresh\" content=\"7; url=/page?x=1\">");
        assertThat(utf8(get("/fault/meta-refresh")))
                .contains("content=\"0; url=/fault/meta-refresh\"");
        assertThat(utf8(get("/fault/meta-refresh?to=http://%5B::1")))
                .contains("content=\"0; url=http://[::1\"");
        assertThat(get("/fault/meta-refresh?to=%22").statusCode()).isEqualTo(400);
    }

    @Test
    void location_sentExactlyAsGiven() throws Exception {
        HttpResponse<byte[]> redirect = get("/fault/location?to=http://%5B::1&code=301");
        assertThat(redirect.statusCode()).isEqualTo(301);
        assertThat(redirect.headers().firstValue("Location")).hasValue("http://[::1");
        assertThat(get("/fault/location?to=http://").headers().firstValue("Location"))
                .hasValue("http://");
    }

    @Test
    void headers_manyFieldsOrOneLongOne() throws Exception {
        HttpResponse<byte[]> many = get("/fault/headers?lines=150");
        assertThat(many.headers().map().keySet().stream().filter(n -> n.startsWith("x-filler")))
                .hasSize(150);
        HttpResponse<byte[]> big = get("/fault/headers?bytes=10000&big=2");
        assertThat(big.headers().firstValue("X-Big-2"))
                .hasValueSatisfying(v -> assertThat(v).hasSize(10000));
        assertThat(utf8(big)).contains(HeadersRoute.TITLE);
    }

    @Test
    void gzipAndDeflate_rawBytesDecompressToThePage() throws Exception {
        HttpResponse<byte[]> gz = get("/fault/gzip");
        assertThat(gz.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(inflate(new GZIPInputStream(new ByteArrayInputStream(gz.body()))))
                .contains(CompressedRoute.PHRASE);
        HttpResponse<byte[]> df = get("/fault/deflate");
        assertThat(df.headers().firstValue("Content-Encoding")).hasValue("deflate");
        assertThat(inflate(new InflaterInputStream(new ByteArrayInputStream(df.body()))))
                .contains(CompressedRoute.PHRASE);
    }

    @Test
    void badGzip_doesNotDecompress() throws Exception {
        HttpResponse<byte[]> r = get("/fault/bad-gzip");
        assertThat(r.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThatThrownBy(() -> new GZIPInputStream(new ByteArrayInputStream(r.body())))
                .isInstanceOf(ZipException.class);
    }

    @Test
    void gzipBomb_smallBodyInflatesToNMiB() throws Exception {
        HttpResponse<byte[]> r = get("/fault/gzip-bomb?mb=8");
        assertThat(r.body().length).isLessThan(64 * 1024);
        long inflated;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(r.body()))) {
            inflated = in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        assertThat(inflated).isEqualTo(8L << 20);
    }

    @Test
    void huge_streamsNMiB_withOrWithoutLength() throws Exception {
        HttpResponse<byte[]> fixed = get("/fault/huge?mb=3");
        assertThat(fixed.headers().firstValueAsLong("Content-Length")).hasValue(3L << 20);
        assertThat(fixed.body()).hasSize(3 << 20);
        HttpResponse<byte[]> chunked = get("/fault/huge?mb=2&chunked=true");
        assertThat(chunked.headers().firstValue("Content-Length")).isEmpty();
        assertThat(chunked.headers().firstValue("Transfer-Encoding")).hasValue("chunked");
        assertThat(chunked.body()).hasSize(2 << 20);
    }

    @Test
    void charsetPages_decodeToTheirPhrase() throws Exception {
        Charset gbk = Charset.forName("GBK");
        HttpResponse<byte[]> header = get("/fault/gbk");
        assertThat(header.headers().firstValue("Content-Type")).hasValue("text/html; charset=gbk");
        assertThat(new String(header.body(), gbk)).contains(CharsetRoute.CHINESE_PHRASE);
        assertThat(utf8(header)).doesNotContain(CharsetRoute.CHINESE_PHRASE);

        HttpResponse<byte[]> meta = get("/fault/gbk-meta");
        assertThat(meta.headers().firstValue("Content-Type")).hasValue("text/html");
        assertThat(new String(meta.body(), gbk))
                .contains("<meta charset=\"gbk\">")
                .contains(CharsetRoute.CHINESE_PHRASE);

        HttpResponse<byte[]> sniff = get("/fault/gbk-sniff");
        assertThat(sniff.headers().firstValue("Content-Type")).hasValue("text/html");
        assertThat(new String(sniff.body(), gbk))
                .doesNotContain("charset")
                .contains(CharsetRoute.CHINESE_PHRASE);

        HttpResponse<byte[]> sjis = get("/fault/shift-jis");
        assertThat(sjis.headers().firstValue("Content-Type"))
                .hasValue("text/html; charset=shift_jis");
        assertThat(new String(sjis.body(), Charset.forName("Shift_JIS")))
                .contains(CharsetRoute.JAPANESE_PHRASE);
    }

    @Test
    void trap_linksOneLevelDeeperForever() throws Exception {
        String page = utf8(get("/fault/trap/41"));
        assertThat(page).contains("href=\"/fault/trap/42\"").contains("href=\"/fault/trap/42?x=");
        assertThat(get("/fault/trap/abc").statusCode()).isEqualTo(404);
    }

    @Test
    void echoHeaders_returnsRequestHeadersAsJson() throws Exception {
        JsonNode json =
                new ObjectMapper().readTree(get("/fault/echo-headers", "X-Probe", "v1").body());
        assertThat(json.get("x-probe").get(0).asText()).isEqualTo("v1");
        assertThat(json.get("user-agent").get(0).asText()).startsWith("Java-http-client");
    }

    @Test
    void cookies_setAndEchoed() throws Exception {
        HttpResponse<byte[]> set = get("/fault/set-cookie?session=abc&lang=zh");
        assertThat(set.headers().allValues("Set-Cookie"))
                .containsExactlyInAnyOrder("session=abc; Path=/", "lang=zh; Path=/");
        JsonNode echo =
                new ObjectMapper()
                        .readTree(
                                get("/fault/echo-cookie", "Cookie", "session=abc; lang=zh").body());
        assertThat(echo.get("session").asText()).isEqualTo("abc");
        assertThat(echo.get("lang").asText()).isEqualTo("zh");
    }

    @Test
    void status_answersTheCode() throws Exception {
        assertThat(get("/fault/status?code=503").statusCode()).isEqualTo(503);
        HttpResponse<byte[]> noContent = get("/fault/status?code=204");
        assertThat(noContent.statusCode()).isEqualTo(204);
        assertThat(noContent.body()).isEmpty();
        assertThat(get("/fault/status?code=abc").statusCode()).isEqualTo(400);
    }

    @Test
    void unknownPath_is404() throws Exception {
        assertThat(get("/fault/nope").statusCode()).isEqualTo(404);
    }

    private static String inflate(InputStream in) throws IOException {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
