package org.arachne.select;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Spiders as Scrapy users write them, on pages shaped like Douban Top 250 and Books to Scrape. */
class ScrapyExamplesTest {
    private static final Page DOUBAN =
            Fixtures.page("douban.html", "https://book.douban.com/top250");
    private static final Page BOOKS =
            Fixtures.page("books.html", "http://books.toscrape.example/catalogue/page-1.html");

    record Book(String title, String url, String rating, String votes) {}

    @Test
    void douban_titlesAndUrls() {
        assertThat(DOUBAN.xpath("//div[@class=\"pl2\"]/a/text()").getAll())
                .containsExactly("红楼梦", "百年孤独", "小王子");
        assertThat(DOUBAN.xpath("//div[@class='pl2']/a/@href").getAll())
                .containsExactly(
                        "https://book.douban.com/subject/1007305/",
                        "https://book.douban.com/subject/6082808/",
                        "https://book.douban.com/subject/1084336/");
    }

    @Test
    void douban_itemLoop() {
        List<Book> books = new ArrayList<>();
        for (Selection item : DOUBAN.xpath("//tr[@class='item']")) {
            books.add(
                    new Book(
                            item.xpath(".//div[@class='pl2']/a/@title").get(""),
                            item.xpath(".//div[@class='pl2']/a/@href").get(""),
                            item.css("span.rating_nums::text").get(""),
                            item.xpath(".//span[@class='pl']/text()").reFirst("(\\d+)人评价")));
        }

        assertThat(books)
                .containsExactly(
                        new Book(
                                "红楼梦", "https://book.douban.com/subject/1007305/", "9.6", "421375"),
                        new Book(
                                "百年孤独",
                                "https://book.douban.com/subject/6082808/",
                                "9.3",
                                "413280"),
                        new Book(
                                "小王子",
                                "https://book.douban.com/subject/1084336/",
                                "9.1",
                                "367145"));
        assertThat(DOUBAN.xpath("//span[@class='next']/a/@href").get())
                .isEqualTo("https://book.douban.com/top250?start=25");
    }

    @Test
    void books_xpathItemLoop() {
        List<String> rows = new ArrayList<>();
        for (Selection item : BOOKS.xpath("//article[@class='product_pod']")) {
            rows.add(
                    item.xpath("h3/a/@title").get()
                            + "|"
                            + item.xpath(".//p[@class='price_color']/text()").get()
                            + "|"
                            + item.xpath("h3/a/@href").get());
        }

        assertThat(rows)
                .containsExactly(
                        "T & é 中文|£12.34|book-00012.html",
                        "Sapiens: A Brief History|£54.23|book-00013.html");
    }

    @Test
    void books_cssItemLoop() {
        List<String> rows = new ArrayList<>();
        for (Selection item : BOOKS.css("article.product_pod")) {
            rows.add(
                    item.css("h3 a::attr(title)").get()
                            + "|"
                            + item.css("p.price_color::text").re("£([\\d.]+)").get(0)
                            + "|"
                            + item.css("p.star-rating::attr(class)").reFirst("star-rating (\\w+)"));
        }

        assertThat(rows)
                .containsExactly("T & é 中文|12.34|Three", "Sapiens: A Brief History|54.23|One");
    }

    @Test
    void books_itemLinksAndNextPage() {
        LinkExtractor items = LinkExtractor.builder().restrictCss("article.product_pod h3").build();
        LinkExtractor next = LinkExtractor.builder().restrictXpaths("//li[@class='next']").build();

        assertThat(items.extract(BOOKS))
                .containsExactly(
                        new Link(
                                "http://books.toscrape.example/catalogue/book-00012.html",
                                "T & é 中...",
                                false),
                        new Link(
                                "http://books.toscrape.example/catalogue/book-00013.html",
                                "Sapiens: A Brief...",
                                false));
        assertThat(next.extract(BOOKS))
                .extracting(Link::url)
                .containsExactly("http://books.toscrape.example/catalogue/page-2.html");
    }
}
