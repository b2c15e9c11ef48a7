package org.arachne.cli;

import java.util.List;
import org.arachne.http.Response;
import org.arachne.item.Item;
import org.arachne.spider.Output;
import org.arachne.spider.Spider;

/**
 * A Java spider for {@code parse --class}: the index's page title and the first two book links to
 * {@code parseBook}, which gives each book's title and price; {@code parseBroken} throws.
 */
public final class TitlesSpider implements Spider {
    @Override
    public String name() {
        return "titles";
    }

    @Override
    public void parse(Response response, Output out) {
        out.item(Item.of("page", response.xpath("//title/text()").get("").strip()));
        List<String> links = response.xpath("//article[@class='product_pod']/h3/a/@href").getAll();
        for (String href : links.subList(0, Math.min(2, links.size()))) {
            out.follow(href, this::parseBook);
        }
    }

    void parseBook(Response response, Output out) {
        out.item(
                Item.of(
                        "title",
                        response.xpath("//h1/text()").get(""),
                        "price",
                        response.css("p.price_color::text").get(""),
                        "from",
                        response.request().meta("from")));
    }

    void parseBroken(Response response, Output out) {
        out.item(Item.of("before", "the failure"));
        throw new IllegalStateException("no price on " + response.url());
    }
}
