package org.arachne.spider.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.Objects;
import org.arachne.item.Item;
import org.arachne.spider.Callback;
import org.junit.jupiter.api.Test;

class RuleCallbackTest {
    private static final String SHOP =
            """
            name: shop
            start_urls: [http://a.test/]
            rules:
              - allow: ['/product/']
                callback: product              # follow: false, as Scrapy's Rule with a callback
              - allow: ['/review/']
                callback: review
                follow: true
              - allow: ['/category/']           # no callback: follow: true
              - allow: ['/help/']
                follow: false
            items:
              - name: product
                fields:
                  title: //h1/text()
              - name: review
                fields:
                  stars: //b/text()
              - each: //li                       # no rule names it: every other page
                fields:
                  entry: ./text()
            """;

    private static final String PAGE =
            """
            <h1>Page</h1><b>5</b><ul><li>one</li></ul>
            <a href="/product/1">p</a> <a href="/review/1">r</a>
            <a href="/category/books">c</a> <a href="/help/faq">h</a>
            """;

    private final DeclarativeSpider spider =
            new DeclarativeSpider(YamlSpiders.parse(SHOP, "shop.yaml"));

    @Test
    void parse_ruleWithCallback_sendsItsPagesToThatBlock() {
        RecordingOutput out = new RecordingOutput();

        spider.parse(TestResponses.html("http://a.test/", PAGE), out);

        assertThat(out.items)
                .containsExactly(Item.of("entry", "one"))
                .as("parse gives the items of the blocks no rule names");
        assertThat(out.follows)
                .containsExactly(
                        "product http://a.test/product/1",
                        "parse:review http://a.test/review/1",
                        "parse http://a.test/category/books",
                        "parseLeaf http://a.test/help/faq");
    }

    @Test
    void callback_ofABlockARuleNames_givesItsItemsAndFollowsNothing() throws Exception {
        RecordingOutput out = new RecordingOutput();

        callback("product").parse(TestResponses.html("http://a.test/product/1", PAGE), out);

        assertThat(out.items).containsExactly(Item.of("title", "Page"));
        assertThat(out.follows).isEmpty();
    }

    @Test
    void callback_ofARuleThatFollows_givesTheBlocksItemsThenFollowsTheRules() throws Exception {
        RecordingOutput out = new RecordingOutput();

        callback("parse:review").parse(TestResponses.html("http://a.test/review/1", PAGE), out);

        assertThat(out.items).containsExactly(Item.of("stars", "5"));
        assertThat(out.follows).hasSize(4).contains("product http://a.test/product/1");
    }

    @Test
    void parseLeaf_givesTheUnnamedBlocksItems() {
        RecordingOutput out = new RecordingOutput();

        spider.parseLeaf(TestResponses.html("http://a.test/help/faq", PAGE), out);

        assertThat(out.items).containsExactly(Item.of("entry", "one"));
        assertThat(out.follows).isEmpty();
    }

    @Test
    void parse_ruleFollowDefault_dependsOnItsCallback() {
        SpiderDefinition definition = spider.definition();

        assertThat(definition.rules())
                .extracting(RuleDefinition::callback, RuleDefinition::follow)
                .containsExactly(
                        tuple("product", false),
                        tuple("review", true),
                        tuple(null, true),
                        tuple(null, false));
    }

    @Test
    void check_ruleCallbackNamingNoBlock_namesTheClosestOne() {
        String yaml = SHOP.replace("callback: review", "callback: reviews");

        assertThat(YamlSpiders.check(yaml, "shop.yaml"))
                .extracting(Problem::toString)
                .containsExactly(
                        "shop.yaml:7:15: rules[1].callback: unknown item block 'reviews'; a rule's"
                                + " callback names the item block its pages go to; did you mean"
                                + " 'review'?");
    }

    @Test
    void check_ruleCallbackWithoutNamedBlocks_saysToNameOne() {
        String yaml =
                """
                name: shop
                start_urls: [http://a.test/]
                rules:
                  - callback: product
                items:
                  - fields: {title: //h1/text()}
                """;

        assertThat(YamlSpiders.check(yaml, "shop.yaml"))
                .extracting(Problem::toString)
                .containsExactly(
                        "shop.yaml:4:15: rules[0].callback: unknown item block 'product'; a rule's"
                                + " callback names the item block its pages go to (give that"
                                + " block a name:)");
    }

    @Test
    void check_blockNamedLikeAFollowCallback_isRefused() {
        String yaml =
                """
                name: shop
                start_urls: [http://a.test/]
                items:
                  - name: 'parse:product'
                    fields: {title: //h1/text()}
                """;

        assertThat(YamlSpiders.check(yaml, "shop.yaml"))
                .extracting(Problem::toString)
                .containsExactly(
                        "shop.yaml:4:11: items[0].name: 'parse:product' cannot name an item block;"
                                + " parse, parseLeaf and names starting with parse: are the"
                                + " spider's own callbacks");
    }

    private Callback callback(String name) {
        return Objects.requireNonNull(spider.callback(name), name);
    }
}
