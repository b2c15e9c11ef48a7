package org.arachne.spider.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Selectors in the wrong language: warned about when valid, hinted at when not (#12). */
class WrongLanguageTest {

    /** A spider with one field, {@code price}, of this source and value, in this kind of block. */
    private static String spider(String blockSelector, String field) {
        return """
                name: shop
                start_urls: ['http://127.0.0.11/']
                items:
                  - selector: SELECTOR
                    fields:
                      price: FIELD
                """
                .replace("SELECTOR", blockSelector)
                .replace("FIELD", field);
    }

    private static List<String> warnings(String yaml) {
        return YamlSpiders.warnings(yaml, "shop.yaml", Map.of()).stream()
                .map(Problem::toString)
                .toList();
    }

    private static List<String> problems(String yaml) {
        return YamlSpiders.check(yaml, "shop.yaml").stream().map(Problem::toString).toList();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                // a valid XPath (an element named "div.product") that looks like CSS
                "xpath | div.product | 'div.product' reads as XPath (selector: xpath) but looks"
                        + " like CSS: write css: div.product",
                "xpath | '{xpath: \"div.product-title\"}' | 'div.product-title' reads as XPath"
                        + " (xpath:) but looks like CSS: write css: div.product-title",
                "xpath | div > p | 'div > p' reads as XPath (selector: xpath) but looks like CSS:"
                        + " write css: div > p",
                // dotted names that are no HTML element: a JSON path
                "xpath | next_page.url | 'next_page.url' reads as XPath (selector: xpath) but"
                        + " looks like JMESPath: write jmespath: next_page.url in a block or rule"
                        + " with selector: jmespath",
                // jsoup takes div[@id='x'] as CSS, but it is XPath
                "css | \"div[@id='x']\" | 'div[@id='x']' reads as CSS (selector: css) but looks"
                        + " like XPath: write xpath: div[@id='x']",
            })
    void check_validSelectorInTheWrongLanguage_isAWarningAtItsLine(
            String blockSelector, String field, String warning) {
        String yaml = spider(blockSelector, field);

        assertThat(problems(yaml)).isEmpty();
        assertThat(warnings(yaml))
                .singleElement()
                .asString()
                .startsWith("shop.yaml:6:")
                .contains(": items[0].fields.price")
                .endsWith(": " + warning);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "xpath | .price | ; it looks like CSS: write css: .price",
                "xpath | a#next | ; it looks like CSS: write css: a#next",
                "xpath | ul li a | ; it looks like CSS: write css: ul li a",
                "xpath | p.price_color::text | ; it looks like CSS: write css: p.price_color::text",
                "xpath | 'books[0].title' | ; it looks like JMESPath: write jmespath:"
                        + " books[0].title in a block or rule with selector: jmespath",
                "xpath | 'books[*].title' | ; it looks like JMESPath: write jmespath:"
                        + " books[*].title in a block or rule with selector: jmespath",
                "css | '//div[@class]' | ; it looks like XPath: write xpath: //div[@class]",
                "css | h1/text() | ; it looks like XPath: write xpath: h1/text()",
                "jmespath | '//h1/text()' | ; it looks like XPath: it reads HTML: write xpath:"
                        + " //h1/text() in a block or rule without selector: jmespath",
            })
    void check_invalidSelectorThatIsAnotherLanguage_saysWhichInItsProblem(
            String blockSelector, String field, String hint) {
        String yaml = spider(blockSelector, field);

        assertThat(problems(yaml))
                .singleElement()
                .asString()
                .endsWith(hint)
                .contains("shop.yaml:6:");
        assertThat(warnings(yaml)).isEmpty();
    }

    @Test
    void check_wrongLanguageInEach_saysToChangeTheBlocksSelector() {
        String yaml =
                """
                name: shop
                start_urls: ['http://127.0.0.11/']
                items:
                  - each: article.product_pod
                    fields:
                      title: h3/a/@title
                """;

        assertThat(warnings(yaml))
                .containsExactly(
                        "shop.yaml:4:11: items[0].each: 'article.product_pod' reads as XPath"
                                + " (selector: xpath) but looks like CSS: give the block or rule"
                                + " selector: css");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "//a/@href",
                ".//span[@class='x']/text()",
                "text()",
                "@href",
                "..",
                ".",
                "h3/a/@title",
                "//div[@class=\"pl2\"]/a/text()",
                "//table//tr[th='UPC']/td/text()",
                "normalize-space(.)",
                "//li[1]/a/@href",
                "//li[@data-n > 2]",
                "//a[contains(@class, 'btn.next')]/@href",
                "count(//li) > 1",
                "title",
                "next_page",
                "a[href]",
                "//p[@class='price_color' and @id]",
                "substring-after(//p, '£')",
                "//*[self::h1 or self::h2]/text()",
                "1.5"
            })
    void check_commonXpaths_giveNoWarning(String xpath) {
        String yaml = spider("xpath", "{xpath: \"" + xpath.replace("\"", "\\\"") + "\"}");

        assertThat(warnings(yaml)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "div.product",
                "a::attr(href)",
                "p.price_color::text",
                "ul > li:nth-child(2) a",
                "#main .title",
                "h1"
            })
    void check_commonCss_givesNoWarning(String css) {
        assertThat(warnings(spider("css", "'" + css + "'"))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"div.product", "books[0].title", "books[*].tags", "title", "length(books)"})
    void check_jmespath_givesNoWarning(String jmespath) {
        assertThat(warnings(spider("jmespath", "'" + jmespath + "'"))).isEmpty();
    }

    static Stream<Path> examples() throws IOException {
        return Files.list(Path.of("..", "examples")).filter(p -> p.toString().endsWith(".yaml"));
    }

    @ParameterizedTest
    @MethodSource("examples")
    void check_examples_giveNoWarning(Path example) throws IOException {
        assertThat(YamlSpiders.warnings(example, Map.of())).isEmpty();
    }
}
