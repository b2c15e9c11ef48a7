package org.arachne.engine;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.arachne.item.Item;
import org.arachne.spider.Spider;

/**
 * Runs a crawl in-process and keeps every item that reached the feeds, for assertions. Public for
 * the YAML spiders' tests.
 */
public record CrawlRun(CrawlResult result, List<Item> items) {

    public static CrawlRun of(Spider spider, Map<String, ?> settings) {
        List<Item> items = new CopyOnWriteArrayList<>();
        CrawlResult result =
                Crawler.builder(spider)
                        .settings(settings)
                        .pipeline(
                                item -> {
                                    items.add(item);
                                    return item;
                                })
                        .build()
                        .run();
        return new CrawlRun(result, List.copyOf(items));
    }

    public List<Map<String, Object>> fields() {
        return items.stream().map(i -> (Map<String, Object>) i.fields()).toList();
    }
}
