package org.arachne.engine;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.arachne.item.Item;
import org.arachne.spider.Spider;

/** Runs a crawl in-process and keeps every item that reached the feeds, for assertions. */
record CrawlRun(CrawlResult result, List<Item> items) {

    static CrawlRun of(Spider spider, Map<String, ?> settings) {
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

    List<Map<String, Object>> fields() {
        return items.stream().map(i -> (Map<String, Object>) i.fields()).toList();
    }
}
