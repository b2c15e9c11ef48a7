package org.arachne.spider.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which callback {@link DeclarativeSpider#callbackFor} picks for a URL, as {@code parse} uses. */
class DeclarativeSpiderRoutingTest {
    private static final String SHOP =
            """
            name: shop
            start_urls: [http://127.0.0.11:8321/]
            rules:
              - allow: ['/catalogue/\\d+']
                callback: book
              - allow: ['/reviews/']
                callback: review
                follow: true
              - callback: offer
              - follow: true
            items:
              - name: book
                fields:
                  title: //h1/text()
              - name: review
                fields:
                  text: //p/text()
              - name: offer
                url_pattern: /offers/
                fields:
                  price: //b/text()
              - fields:
                  heading: //h2/text()
            """;

    private final DeclarativeSpider spider =
            new DeclarativeSpider(YamlSpiders.parse(SHOP, "shop.yaml"));

    @Test
    void callbackFor_urlARuleAllows_isThatRulesBlock() {
        assertThat(spider.callbackFor("http://127.0.0.11:8321/catalogue/12")).isEqualTo("book");
    }

    @Test
    void callbackFor_ruleThatFollows_isItsFollowingCallback() {
        assertThat(spider.callbackFor("http://127.0.0.11:8321/reviews/3"))
                .isEqualTo(ItemDefinition.FOLLOW_PREFIX + "review");
    }

    @Test
    void callbackFor_blockUrlPatternOfARuleWithoutAllow_isThatBlock() {
        assertThat(spider.callbackFor("http://127.0.0.11:8321/offers/7")).isEqualTo("offer");
    }

    @Test
    void callbackFor_urlNoRuleRoutes_isParse() {
        assertThat(spider.callbackFor("http://127.0.0.11:8321/")).isEqualTo("parse");
    }
}
