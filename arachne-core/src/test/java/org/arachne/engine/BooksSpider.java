package org.arachne.engine;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.arachne.http.Response;
import org.arachne.item.Item;
import org.arachne.select.Link;
import org.arachne.select.LinkExtractor;
import org.arachne.select.Page;
import org.arachne.select.Selection;
import org.arachne.spider.Output;
import org.arachne.spider.Spider;

/**
 * The spider the bench README describes, in Java: one item per {@code article.product_pod} (title,
 * price, absolute link), every link followed. Records every page URL it parsed.
 */
final class BooksSpider implements Spider {
    private static final LinkExtractor LINKS = LinkExtractor.builder().build();

    private final List<String> startUrls;
    final Queue<String> parsed = new ConcurrentLinkedQueue<>();

    BooksSpider(List<String> startUrls) {
        this.startUrls = List.copyOf(startUrls);
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
        Page page = response.page();
        for (Selection book : page.xpath("//article[@class='product_pod']").nodes()) {
            String href = book.xpath("h3/a/@href").get();
            out.item(
                    Item.of(
                            "title", book.xpath("h3/a/@title").get(),
                            "price", book.xpath(".//p[@class='price_color']/text()").get(),
                            "link", href == null ? null : response.urljoin(href)));
        }
        for (Link link : LINKS.extract(page)) {
            out.follow(link.url());
        }
    }
}
