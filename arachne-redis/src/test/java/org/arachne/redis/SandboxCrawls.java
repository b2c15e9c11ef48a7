package org.arachne.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.arachne.http.Response;
import org.arachne.item.Item;
import org.arachne.item.ItemPipeline;
import org.arachne.sandbox.Sandbox;
import org.arachne.sandbox.SiteManifest;
import org.arachne.select.Link;
import org.arachne.select.LinkExtractor;
import org.arachne.select.Selection;
import org.arachne.spider.Output;
import org.arachne.spider.Spider;

/**
 * What the crawl tests share: the bench spider over the sandbox site, and the checks of a crawl's
 * outcome against the site's manifest (the items' count and multiset hash, the pages the server
 * saw).
 */
final class SandboxCrawls {
    private SandboxCrawls() {}

    /** One item per {@code article.product_pod}, every link followed, as the bench spider. */
    static final class Books implements Spider {
        private static final LinkExtractor LINKS = LinkExtractor.builder().build();
        private final List<String> startUrls;
        final Queue<String> parsed = new ConcurrentLinkedQueue<>();

        Books(List<String> startUrls) {
            this.startUrls = startUrls;
        }

        @Override
        public String name() {
            return "books";
        }

        @Override
        public List<String> startUrls() {
            return startUrls;
        }

        @Override
        public void parse(Response response, Output out) {
            parsed.add(response.url());
            for (Selection book :
                    response.page().xpath("//article[@class='product_pod']").nodes()) {
                String href = book.xpath("h3/a/@href").get();
                out.item(
                        Item.of(
                                "title", book.xpath("h3/a/@title").get(),
                                "price", book.xpath(".//p[@class='price_color']/text()").get(),
                                "link", href == null ? null : response.urljoin(href)));
            }
            for (Link link : LINKS.extract(response.page())) {
                out.follow(link.url());
            }
        }
    }

    /** The sandbox site on these hosts, 80 pages each, every response 10 ms late. */
    static Sandbox sandbox(String... hosts) throws IOException {
        return sandbox(Duration.ofMillis(10), hosts);
    }

    /** The sandbox site on these hosts, 80 pages each, every response this late. */
    static Sandbox sandbox(Duration latency, String... hosts) throws IOException {
        Sandbox.Builder builder = Sandbox.builder().hosts(List.of(hosts)).pagesPerHost(80).seed(11);
        for (String host : hosts) {
            builder.latency(host, latency); // leases last long enough to overlap
        }
        return builder.build().start();
    }

    /** Pages the server was asked for, robots.txt left out. */
    static long pagesFetched(Sandbox sandbox) {
        long pages = 0;
        for (String ip : sandbox.hosts()) {
            pages += sandbox.log(ip).count() - sandbox.log(ip).count("/robots.txt");
        }
        return pages;
    }

    /** The items of a JSON Lines feed. */
    static List<Map<String, Object>> readItems(Path jsonl) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<Map<String, Object>> items = new ArrayList<>();
        for (String line : Files.readAllLines(jsonl, StandardCharsets.UTF_8)) {
            @SuppressWarnings("unchecked")
            Map<String, Object> fields = json.readValue(line, Map.class);
            items.add(fields);
        }
        return items;
    }

    /** The items are exactly the manifest's: as many, and the same multiset. */
    static void assertManifestItems(
            Collection<? extends Map<String, ?>> items, SiteManifest manifest) {
        assertThat(items).hasSize((int) manifest.itemsTotal());
        assertThat(SiteManifest.itemsHash(items)).isEqualTo(manifest.itemsMultisetHash());
    }

    /** A pipeline that keeps every item it is given. */
    static ItemPipeline keep(Queue<Item> items) {
        return item -> {
            items.add(item);
            return item;
        };
    }
}
