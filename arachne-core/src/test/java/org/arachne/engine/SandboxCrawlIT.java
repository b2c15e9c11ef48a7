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
}
