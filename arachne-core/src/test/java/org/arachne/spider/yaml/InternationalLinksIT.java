package org.arachne.spider.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.arachne.engine.CrawlResult;
import org.arachne.engine.Crawler;
import org.arachne.sandbox.Sandbox;
import org.arachne.sandbox.route.InternationalLinksRoute;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Links as browsers send them, end to end (issue #9): a YAML spider's rule finds them on a
 * windows-1252 page, the requests and their fingerprints are made, and the sandbox says what it
 * received. The international host {@code www.bücher.test} is mapped to the sandbox by {@code
 * dns_overrides}; it used to be percent-encoded by the link extractor and the site skipped.
 */
@Timeout(60)
class InternationalLinksIT {
    private static final String IP = "127.0.0.93";

    @Test
    void internationalHostAndLegacyCharsetQuery_areRequestedAsABrowserWould() throws Exception {
        try (Sandbox sandbox =
                Sandbox.builder().hosts(List.of(IP)).pagesPerHost(2).build().start()) {
            String yaml =
                    """
                    name: intl
                    start_urls: [http://HOST/fault/intl/]
                    allowed_domains: [IP, bücher.test]
                    rules:
                      - allow: ['/echo']
                    items:
                      - url_pattern: '/echo'
                        fields:
                          received: {xpath: '//title/text()'}
                    """
                            .replace("HOST", IP + ":" + sandbox.port())
                            .replace("IP", IP);
            List<Object> received = new CopyOnWriteArrayList<>();

            CrawlResult result =
                    Crawler.builder(new DeclarativeSpider(YamlSpiders.parse(yaml, "intl.yaml")))
                            .setting("dns_overrides", Map.of(InternationalLinksRoute.HOST, IP))
                            .pipeline(
                                    item -> {
                                        received.add(item.get("received"));
                                        return item;
                                    })
                            .build()
                            .run();

            assertThat(result.errors()).isZero();
            assertThat(received)
                    .containsExactlyInAnyOrder(
                            IP + ":" + sandbox.port() + " q=%E9&p=a%20b",
                            "www.xn--bcher-kva.test:" + sandbox.port() + " q=%E9");
            assertThat(sandbox.log(IP).count("/fault/intl/echo")).isEqualTo(2);
        }
    }
}
