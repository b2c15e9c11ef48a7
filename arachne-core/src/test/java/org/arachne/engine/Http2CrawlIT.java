package org.arachne.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.arachne.http.DownloaderConfig;
import org.arachne.http.HostResolver;
import org.arachne.http.HttpClient5Downloader;
import org.arachne.testing.TlsTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A whole crawl of an HTTPS site that offers HTTP/2: every page over one multiplexed connection.
 */
@Timeout(60)
class Http2CrawlIT {

    @Test
    void crawl_httpsSiteOfferingH2_everyPageOverHttp2() throws Exception {
        try (TlsTestServer server = TlsTestServer.start()) {
            BooksSpider spider = new BooksSpider(List.of(server.h2Base() + "/page/1"));
            HttpClient5Downloader downloader =
                    new HttpClient5Downloader(
                            DownloaderConfig.defaults(),
                            new HostResolver(Map.of()),
                            TlsTestServer.clientTrust());

            CrawlResult result =
                    Crawler.builder(spider)
                            .setting("concurrent_requests", 16)
                            .setting("concurrent_requests_per_domain", 16)
                            .downloader(downloader)
                            .build()
                            .run();

            assertThat(result.status()).isEqualTo(CrawlResult.Status.FINISHED);
            assertThat(result.errors()).isZero();
            // /page/1 links down a binary tree to /page/31
            assertThat(spider.parsed).doesNotHaveDuplicates().hasSize(31);
            assertThat(result.stats())
                    .containsEntry("downloader/response_protocol/HTTP/2", 31L)
                    .doesNotContainKey("downloader/response_protocol/HTTP/1.1");
        }
    }
}
