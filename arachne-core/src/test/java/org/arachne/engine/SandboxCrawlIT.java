package org.arachne.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.arachne.sandbox.RequestStart;
import org.arachne.sandbox.Sandbox;
import org.arachne.sandbox.SiteManifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A whole crawl of the sandbox site against its manifest, checked at the server. */
@Timeout(120)
class SandboxCrawlIT {

    @Test
    void crawl_findsExactlyTheManifestItems_andNeverFetchesDisallowedPages() throws Exception {
        try (Sandbox sandbox =
                Sandbox.builder()
                        .hosts(java.util.List.of("127.0.0.31", "127.0.0.32", "127.0.0.33"))
                        .pagesPerHost(120)
                        .seed(7)
                        .build()
                        .start()) {
            SiteManifest manifest = sandbox.manifest();
            BooksSpider spider = new BooksSpider(sandbox.startUrls());

            CrawlRun run = CrawlRun.of(spider, Map.of("concurrent_requests", 16));

            assertThat(run.result().status()).isEqualTo(CrawlResult.Status.FINISHED);
            assertThat(run.result().errors()).isZero();
            assertThat(run.items()).hasSize((int) manifest.itemsTotal());
            assertThat(SiteManifest.itemsHash(run.fields()))
                    .isEqualTo(manifest.itemsMultisetHash());
            long pages = 0;
            for (String ip : sandbox.hosts()) {
                var log = sandbox.log(ip);
                assertThat(log.count("/robots.txt")).as("robots.txt of %s", ip).isEqualTo(1);
                for (RequestStart start : log.starts()) {
                    assertThat(start.path()).doesNotStartWith("/private/");
                }
                pages += log.count() - log.count("/robots.txt");
            }
            assertThat(pages)
                    .as("every page fetched exactly once")
                    .isEqualTo(manifest.crawlablePages());
            assertThat(spider.parsed)
                    .doesNotHaveDuplicates()
                    .hasSize((int) manifest.crawlablePages());
        }
    }

    @Test
    void everyLinkedPage_isRequestedWithThePageItWasFoundOn_asReferer() throws Exception {
        try (Sandbox sandbox =
                Sandbox.builder()
                        .hosts(java.util.List.of("127.0.0.34"))
                        .pagesPerHost(40)
                        .build()
                        .start()) {
            BooksSpider spider = new BooksSpider(sandbox.startUrls());
            String start = sandbox.startUrls().getFirst();

            CrawlRun run = CrawlRun.of(spider, Map.of("concurrent_requests", 4));
            java.util.List<RequestStart> starts = sandbox.log("127.0.0.34").starts();
            CrawlRun.of(
                    new BooksSpider(sandbox.startUrls()),
                    Map.of("concurrent_requests", 4, "referer_enabled", false));
            java.util.List<RequestStart> all = sandbox.log("127.0.0.34").starts();

            assertThat(run.result().status()).isEqualTo(CrawlResult.Status.FINISHED);
            java.util.Set<String> fetchedBefore = new java.util.HashSet<>();
            for (RequestStart r : starts) {
                String url = "http://127.0.0.34:" + sandbox.port() + r.target();
                if (r.path().equals("/robots.txt") || url.equals(start)) {
                    assertThat(r.referer()).as(r.target()).isNull();
                } else {
                    assertThat(r.referer()).as("the Referer of " + r.target()).isNotNull();
                    assertThat(fetchedBefore)
                            .as("the Referer of %s is a page fetched before it", r.target())
                            .contains(r.referer());
                }
                fetchedBefore.add(url);
            }
            assertThat(all.subList(starts.size(), all.size()))
                    .as("referer_enabled false: no Referer")
                    .isNotEmpty()
                    .allSatisfy(r -> assertThat(r.referer()).isNull());
        }
    }
}
