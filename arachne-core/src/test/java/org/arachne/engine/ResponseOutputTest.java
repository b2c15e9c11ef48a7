package org.arachne.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.charset.Charset;
import java.time.Duration;
import org.arachne.http.Body;
import org.arachne.http.Headers;
import org.arachne.http.Request;
import org.arachne.http.Response;
import org.arachne.spider.Failure;
import org.arachne.spider.Output;
import org.arachne.spider.Spider;
import org.junit.jupiter.api.Test;

class ResponseOutputTest {

    static final class ShopSpider implements Spider {
        @Override
        public String name() {
            return "shop";
        }

        @Override
        public void parse(Response response, Output out) {}

        void parseProduct(Response response, Output out) {}

        void onError(Failure failure, Output out) {}
    }

    private final ShopSpider spider = new ShopSpider();
    private final Stats stats = new Stats();
    private final Response page =
            FakeWeb.html(Request.get("http://a.test/list/").withDepth(2), 200, "<html></html>");

    @Test
    void follow_withTheSpider_takesOnlyItsOwnMethods() {
        ResponseOutput out = new ResponseOutput(page, stats, spider, false);
        ShopSpider other = new ShopSpider();

        out.follow("p1", spider::parseProduct);

        assertThat(out.requests())
                .extracting(Request::url, Request::callbackName, Request::depth)
                .containsExactly(tuple("http://a.test/list/p1", "parseProduct", 3));
        assertThatThrownBy(() -> out.follow("p2", other::parseProduct))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not of the crawl's spider");
    }

    @Test
    void follow_adjust_shapesTheRequest_afterTheLinkIsResolved() {
        ResponseOutput out = new ResponseOutput(page, stats, spider, false);

        out.follow("/p1", spider::parseProduct, r -> r.withPriority(5).withMeta("list", 1));
        out.follow("mailto:shop@a.test", spider::parseProduct, r -> r.withPriority(5));

        assertThat(out.requests()).hasSize(1);
        Request request = out.requests().getFirst();
        assertThat(request.url()).isEqualTo("http://a.test/p1");
        assertThat(request.priority()).isEqualTo(5);
        assertThat(request.meta()).containsEntry("list", 1);
        assertThat(stats.get("link/skipped/not_http")).isEqualTo(1);
    }

    /**
     * A followed link's query is encoded in the page's charset, its path and host as browsers do
     * (issue #9); an international host is followed in punycode instead of skipped.
     */
    @Test
    void follow_encodesTheQueryInThePageCharset() {
        Charset latin = Charset.forName("windows-1252");
        Response latinPage =
                new Response(
                        Request.get("http://a.test/list/"),
                        "http://a.test/list/",
                        200,
                        Headers.of("Content-Type", "text/html; charset=windows-1252"),
                        Body.wrap("<html></html>".getBytes(latin)),
                        Duration.ofMillis(1));
        ResponseOutput out = new ResponseOutput(latinPage, stats, spider, false);

        out.follow("/é?q=é");
        out.follow("http://www.bücher.de/?q=é");

        assertThat(out.requests())
                .extracting(Request::url)
                .containsExactly(
                        "http://a.test/%C3%A9?q=%E9", "http://www.xn--bcher-kva.de/?q=%E9");
        assertThat(latinPage.urljoin("?q=ü")).isEqualTo("http://a.test/list/?q=%FC");
    }

    @Test
    void follow_withAnErrback_namesIt() {
        ResponseOutput out = new ResponseOutput(page, stats, spider, false);

        out.follow("p1", spider::parseProduct, spider::onError);

        assertThat(out.requests())
                .extracting(Request::callbackName, Request::errbackName)
                .containsExactly(tuple("parseProduct", "onError"));
    }

    @Test
    void errbackOutput_withoutAResponse_resolvesAgainstTheFailedRequest() {
        Request failed = Request.get("http://a.test/list/p9").withDepth(1);
        ResponseOutput out = new ResponseOutput(null, failed, stats, spider, false);

        out.follow("p9-mirror");

        assertThat(out.requests())
                .extracting(Request::url, Request::depth)
                .containsExactly(tuple("http://a.test/list/p9-mirror", 2));
    }

    @Test
    void requests_carryThePage_asTheirReferer_withoutFragmentOrCredentials() {
        // the URL a response came from, as a redirect may name it
        Response secret =
                new Response(
                        Request.get("http://a.test/list/"),
                        "http://user:pw@a.test/list/?p=2#top",
                        200,
                        Headers.of("Content-Type", "text/html"),
                        Body.utf8("<html></html>"),
                        Duration.ofMillis(1));
        ResponseOutput out = new ResponseOutput(secret, stats, spider, true);

        out.follow("p1", spider::parseProduct);
        out.request(Request.get("http://b.test/x").withHeader("Referer", "http://mine.test/"));

        assertThat(out.requests())
                .extracting(r -> r.headers().first("Referer"))
                .containsExactly("http://a.test/list/?p=2", "http://mine.test/");
    }

    @Test
    void referer_isNotSent_fromHttpsToHttp_norWhenDisabled_norWithoutAResponse() {
        Response https = FakeWeb.html(Request.get("https://a.test/list/"), 200, "<html></html>");
        ResponseOutput fromHttps = new ResponseOutput(https, stats, spider, true);
        ResponseOutput disabled = new ResponseOutput(page, stats, spider, false);
        ResponseOutput noResponse =
                new ResponseOutput(null, Request.get("http://a.test/p9"), stats, spider, true);

        fromHttps.follow("http://a.test/plain");
        fromHttps.follow("https://a.test/secure");
        disabled.follow("p1");
        noResponse.follow("p9-mirror");

        assertThat(fromHttps.requests())
                .extracting(r -> r.headers().first("Referer"))
                .containsExactly(null, "https://a.test/list/");
        assertThat(disabled.requests().getFirst().headers().contains("Referer")).isFalse();
        assertThat(noResponse.requests().getFirst().headers().contains("Referer")).isFalse();
    }
}
