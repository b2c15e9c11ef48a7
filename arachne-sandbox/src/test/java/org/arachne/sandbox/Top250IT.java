package org.arachne.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.arachne.sandbox.route.Top250Route;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Top250IT {
    private static final String BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0";
    private static final Pattern ENTRY =
            Pattern.compile("<div class=\"pl2\"><a href=\"([^\"]+)\" title=\"([^\"]+)\">");
    private static final Pattern NEXT =
            Pattern.compile("<span class=\"next\"><a href=\"([^\"]+)\">");

    @Test
    void nonBrowserUserAgent_gets418() throws Exception {
        Sandbox sandbox = Sandbox.shared();
        assertThat(TestHttp.get(sandbox.uri("/top250")).statusCode()).isEqualTo(418);
        assertThat(TestHttp.get(sandbox.uri("/subject/1292000/")).statusCode()).isEqualTo(418);
    }

    @Test
    void followingNextLinks_yieldsThe250ExpectedEntries() throws Exception {
        Sandbox sandbox = Sandbox.shared();
        List<Top250Route.Entry> got = new ArrayList<>();
        URI page = sandbox.uri("/top250?start=0");
        int pages = 0;
        while (page != null) {
            HttpResponse<byte[]> r = TestHttp.get(page, "User-Agent", BROWSER);
            assertThat(r.statusCode()).isEqualTo(200);
            String html = new String(r.body(), StandardCharsets.UTF_8);
            Matcher m = ENTRY.matcher(html);
            int onPage = 0;
            while (m.find()) {
                got.add(new Top250Route.Entry(SiteWalker.unescape(m.group(2)), m.group(1)));
                onPage++;
            }
            assertThat(onPage).isEqualTo(Top250Route.PAGE_SIZE);
            pages++;
            Matcher next = NEXT.matcher(html);
            // a query-only href ("?start=25&filter=", as on Douban) keeps the page's path (RFC
            // 3986); java.net.URI.resolve follows RFC 2396 and would drop it
            page =
                    next.find()
                            ? URI.create(
                                    sandbox.uri(page.getPath())
                                            + SiteWalker.unescape(next.group(1)))
                            : null;
        }
        assertThat(pages).isEqualTo(10);
        String host = sandbox.hosts().get(0) + ":" + sandbox.port();
        assertThat(got).isEqualTo(Top250Route.expected(host)).hasSize(250);
        assertThat(got).extracting(Top250Route.Entry::title).doesNotHaveDuplicates();
        assertThat(got.get(5).title()).contains("&").contains("é");

        HttpResponse<byte[]> subject =
                TestHttp.get(URI.create(got.get(249).link()), "User-Agent", BROWSER);
        assertThat(subject.statusCode()).isEqualTo(200);
        assertThat(new String(subject.body(), StandardCharsets.UTF_8))
                .contains(Top250Route.title(249));
    }
}
