package org.arachne.spider.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.arachne.http.Request;
import org.arachne.item.Item;
import org.junit.jupiter.api.Test;

class CarryTest {
    private static final String SHOP =
            """
            name: shop
            start_urls: [http://a.test/]
            rules:
              - each: //article
                allow: ['/product/']
                callback: product
                carry:
                  listed_price: {xpath: ".//p[@class='price']/text()", type: decimal}
                  badge: {css: ".badge::text", default: none}
                  tags: {xpath: .//i/text(), type: list}
            items:
              - name: product
                fields:
                  title: //h1/text()
                  listed_price: {value: meta, name: listed_price, type: decimal}
                  badge: {value: meta, name: badge}
                  tags: {value: meta, name: tags, type: list}
            """;

    private static final String LISTING =
            """
            <article><a href="/product/1">One</a><p class="price">£1,200.50</p>
              <span class="badge">new</span><i>a</i><i>b</i></article>
            <article><a href="/product/2">Two</a><a href="/product/2">Two again</a>
              <p class="price">n/a</p></article>
            <article><a href="/product/1">One, listed twice</a><p class="price">£3.00</p></article>
            <article><p class="price">£9.00</p>no link</article>
            <a href="/product/3">outside every article</a>
            """;

    @Test
    void parse_ruleWithCarry_putsTheFieldsOfTheElementHoldingEachLinkIntoItsRequest() {
        DeclarativeSpider spider = spider(SHOP);
        RecordingOutput out = new RecordingOutput();

        spider.parse(TestResponses.html("http://a.test/", LISTING), out);

        assertThat(out.follows)
                .containsExactly(
                        "product http://a.test/product/1", "product http://a.test/product/2")
                .as("each link once, from the first element that holds it; none outside them");
        assertThat(out.requests)
                .extracting(Request::meta)
                .containsExactly(
                        Map.of(
                                "listed_price",
                                new BigDecimal("1200.50"),
                                "badge",
                                "new",
                                "tags",
                                List.of("a", "b")),
                        Map.of("badge", "none"));
        assertThat(out.counts).containsEntry("field_conversion_failed/listed_price", 1L);
    }

    @Test
    void callback_nextPage_readsTheCarriedFieldsFromMeta() throws Exception {
        DeclarativeSpider spider = spider(SHOP);
        RecordingOutput listing = new RecordingOutput();
        spider.parse(TestResponses.html("http://a.test/", LISTING), listing);
        RecordingOutput out = new RecordingOutput();

        Objects.requireNonNull(spider.callback("product"))
                .parse(TestResponses.html(listing.requests.get(0), "<h1>One</h1>"), out);

        assertThat(out.items)
                .containsExactly(
                        Item.of(
                                "title",
                                "One",
                                "listed_price",
                                new BigDecimal("1200.50"),
                                "badge",
                                "new",
                                "tags",
                                List.of("a", "b")));
    }

    @Test
    void parse_carryWithoutEach_takesThePagesFields() {
        String yaml =
                """
                name: shop
                start_urls: [http://a.test/]
                rules:
                  - allow: ['/product/']
                    carry:
                      category: //h1/text()
                """;
        RecordingOutput out = new RecordingOutput();

        spider(yaml)
                .parse(
                        TestResponses.html(
                                "http://a.test/c/poetry",
                                "<h1>Poetry</h1><a href=/product/1>1</a><a href=/product/2>2</a>"),
                        out);

        assertThat(out.requests)
                .extracting(Request::meta)
                .containsExactly(Map.of("category", "Poetry"), Map.of("category", "Poetry"));
    }

    @Test
    void check_badCarry_namesEachProblem() {
        String yaml =
                """
                name: shop
                start_urls: [http://a.test/]
                rules:
                  - each: //article
                    restrict_css: [article]
                    carry:
                      redirect_urls: //a/@href
                      price: {xpath: //p/text(), required: true}
                      stock: {xpath: //p/text(), tpye: int}
                """;

        assertThat(YamlSpiders.check(yaml, "shop.yaml"))
                .extracting(Problem::toString)
                .containsExactly(
                        "shop.yaml:4:11: rules[0].each: each and restrict_xpaths/restrict_css both"
                                + " say where links are taken from; give one (each also says"
                                + " where carry looks)",
                        "shop.yaml:7:7: rules[0].carry.redirect_urls: 'redirect_urls' is a meta key"
                                + " the crawl itself reads; carry the value under another name",
                        "shop.yaml:8:14: rules[0].carry.price.required: a carried field cannot be"
                                + " required; make the next page's field that reads it required",
                        "shop.yaml:9:34: rules[0].carry.stock.tpye: unknown key 'tpye'; did you"
                                + " mean 'type'?");
    }

    private static DeclarativeSpider spider(String yaml) {
        return new DeclarativeSpider(YamlSpiders.parse(yaml, "shop.yaml"));
    }
}
