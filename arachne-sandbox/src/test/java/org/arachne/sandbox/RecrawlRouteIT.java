package org.arachne.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.arachne.sandbox.route.RecrawlRoute;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code /recrawl/}: validators per version, conditional requests honoured, pages changed. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RecrawlRouteIT {
    private Sandbox sandbox;
    private RecrawlRoute route;

    @BeforeEach
    void setUp() throws Exception {
        sandbox = Sandbox.shared();
        sandbox.reset();
        route = sandbox.recrawlRoute();
    }

    private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        return TestHttp.get(sandbox.uri(path), headers);
    }

    private static String utf8(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    void index_linksToEveryPage() throws Exception {
        String index = utf8(get("/recrawl/"));
        for (int i = 1; i <= RecrawlRoute.PAGES; i++) {
            assertThat(index).contains("href=\"/recrawl/" + i + "\"");
        }
    }

    @Test
    void page_sendsValidators_andAnswers304WhenTheyStillMatch() throws Exception {
        HttpResponse<byte[]> first = get("/recrawl/3");
        String etag = first.headers().firstValue("ETag").orElseThrow();
        String lastModified = first.headers().firstValue("Last-Modified").orElseThrow();
        assertThat(etag).isEqualTo("\"3-1\"");
        assertThat(utf8(first)).contains("<p class=\"version\">1</p>").doesNotContain("/3/v");

        HttpResponse<byte[]> byTag = get("/recrawl/3", "If-None-Match", "W/\"x\", " + etag);
        HttpResponse<byte[]> byDate = get("/recrawl/3", "If-Modified-Since", lastModified);
        assertThat(byTag.statusCode()).isEqualTo(304);
        assertThat(byTag.body()).isEmpty();
        assertThat(byTag.headers().firstValue("ETag")).hasValue(etag);
        assertThat(byDate.statusCode()).isEqualTo(304);
        assertThat(get("/recrawl/3", "If-None-Match", "\"3-0\"").statusCode())
                .as("a tag that does not match wins over a date that does")
                .isEqualTo(200);
        assertThat(route.conditionalRequests()).isEqualTo(3);
        assertThat(route.notModified()).isEqualTo(2);
    }

    @Test
    void change_givesNewContentAndValidators_andANewLink() throws Exception {
        HttpResponse<byte[]> before = get("/recrawl/5");
        route.change(5);
        HttpResponse<byte[]> after =
                get(
                        "/recrawl/5",
                        "If-None-Match",
                        before.headers().firstValue("ETag").orElseThrow(),
                        "If-Modified-Since",
                        before.headers().firstValue("Last-Modified").orElseThrow());
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(after.headers().firstValue("ETag")).hasValue("\"5-2\"");
        assertThat(utf8(after)).contains("<p class=\"version\">2</p>", "href=\"/recrawl/5/v2\"");
        assertThat(get("/recrawl/5/v2").statusCode()).isEqualTo(200);
        assertThat(get("/recrawl/4", "If-Modified-Since", "not a date").statusCode())
                .isEqualTo(200);
    }

    @Test
    void ignoreConditions_answersWhole_andResetUndoesEverything() throws Exception {
        String etag = get("/recrawl/1").headers().firstValue("ETag").orElseThrow();
        route.ignoreConditions(true);
        route.change(1);
        route.change(1);
        assertThat(get("/recrawl/1", "If-None-Match", "*").statusCode()).isEqualTo(200);

        sandbox.reset();
        assertThat(get("/recrawl/1", "If-None-Match", etag).statusCode()).isEqualTo(304);
        assertThat(route.notModified()).isEqualTo(1);
        assertThat(get("/recrawl/11").statusCode()).isEqualTo(404);
        assertThat(get("/recrawl/x").statusCode()).isEqualTo(404);
    }
}
