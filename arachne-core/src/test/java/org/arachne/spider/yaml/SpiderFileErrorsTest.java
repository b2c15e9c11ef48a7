package org.arachne.spider.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.arachne.spider.Sitemaps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SpiderFileErrorsTest {

    static Stream<Arguments> badFiles() {
        return Stream.of(
                Arguments.of("bad-syntax.yaml", 4, 6, "", "YAML syntax error: expected ',' or ']'"),
                Arguments.of(
                        "bad-unknown-key.yaml",
                        3,
                        1,
                        "allowed_domain",
                        "unknown key 'allowed_domain'; did you mean 'allowed_domains'?"),
                Arguments.of(
                        "bad-missing-name.yaml",
                        2,
                        1,
                        "name",
                        "missing; every spider needs a name"),
                Arguments.of(
                        "bad-start-urls-string.yaml",
                        2,
                        13,
                        "start_urls",
                        "expected a list, got 'http://127.0.0.11:8321/' (write"
                                + " [http://127.0.0.11:8321/] for a list of one)"),
                Arguments.of(
                        "bad-start-url.yaml",
                        4,
                        5,
                        "start_urls[1]",
                        "invalid URL 'ftp://127.0.0.11/books'"),
                Arguments.of(
                        "bad-setting-unknown.yaml",
                        5,
                        3,
                        "settings.concurent_requests",
                        "unknown setting 'concurent_requests'; did you mean 'concurrent_requests'?"),
                Arguments.of(
                        "bad-setting-value.yaml",
                        5,
                        24,
                        "settings.concurrent_requests",
                        "has value 'lots', expected a whole number"),
                Arguments.of(
                        "bad-setting-duration.yaml",
                        5,
                        19,
                        "settings.download_delay",
                        "has value 'soon', expected a duration"),
                Arguments.of(
                        "bad-xpath.yaml",
                        8,
                        22,
                        "items[0].fields.price.xpath",
                        "invalid XPath '//p[': unexpected end at position 4"),
                Arguments.of("bad-css.yaml", 6, 11, "items[0].each", "invalid CSS query"),
                Arguments.of(
                        "bad-regex.yaml",
                        8,
                        16,
                        "items[0].fields.stars.regex",
                        "invalid regex 'star-rating (\\w+': Unclosed group"),
                Arguments.of(
                        "bad-regex-python.yaml",
                        7,
                        16,
                        "items[0].fields.year.regex",
                        "invalid regex '(?P<first_year>\\d{4})-\\d{2,1}': Illegal repetition range"
                                + " at index 24"),
                Arguments.of(
                        "bad-field-no-source.yaml",
                        7,
                        9,
                        "items[0].fields.title",
                        "no selector; give one of xpath, css, jmespath, regex, constant or value"),
                Arguments.of(
                        "bad-field-two-sources.yaml",
                        6,
                        40,
                        "items[0].fields.title.css",
                        "a field takes one of xpath, css, jmespath, regex, constant or value; this one also"
                                + " has"
                                + " 'xpath'"),
                Arguments.of(
                        "bad-type.yaml",
                        6,
                        42,
                        "items[0].fields.price.type",
                        "unknown type 'float'; expected one of string, int, decimal, url, list"),
                Arguments.of(
                        "bad-field-key.yaml",
                        6,
                        35,
                        "items[0].fields.title.requird",
                        "unknown key 'requird'; did you mean 'required'?"),
                Arguments.of(
                        "bad-rule-follow.yaml",
                        5,
                        13,
                        "rules[0].follow",
                        "expected true or false, got 'maybe'"),
                Arguments.of(
                        "bad-rule-allow-string.yaml",
                        5,
                        12,
                        "rules[0].allow",
                        "expected a list, got '/catalogue/'"),
                Arguments.of(
                        "bad-rule-process-value.yaml",
                        6,
                        20,
                        "rules[0].process_value.replacement",
                        "'\\1' is Python's syntax; write $1 for group 1"),
                Arguments.of(
                        "bad-rule-process-value-group.yaml",
                        4,
                        62,
                        "rules[0].process_value.replacement",
                        "refers to group 2, but the regex has 1 group"),
                Arguments.of(
                        "bad-rule-process-value-key.yaml",
                        4,
                        49,
                        "rules[0].process_value.replace",
                        "unknown key 'replace'; expected one of regex, replacement"),
                Arguments.of(
                        "bad-rule-deny-extensions.yaml",
                        4,
                        22,
                        "rules[0].deny_extensions",
                        "expected a list, got 'pdf' (write [pdf] for a list of one)"),
                Arguments.of(
                        "bad-rule-tags-empty.yaml",
                        4,
                        15,
                        "rules[0].tags[1]",
                        "must not be empty; give a tag name or *"),
                Arguments.of(
                        "bad-rule-unique.yaml",
                        4,
                        13,
                        "rules[0].unique",
                        "expected true or false, got 'sometimes'"),
                Arguments.of(
                        "bad-output.yaml",
                        4,
                        9,
                        "output",
                        "cannot tell the output format of 'books.txt'"),
                Arguments.of(
                        "bad-default.yaml",
                        6,
                        55,
                        "items[0].fields.pages.default",
                        "'many' is not a whole number"),
                Arguments.of(
                        "bad-duplicate-key.yaml",
                        4,
                        1,
                        "name",
                        "duplicate key; first given on line 1"),
                Arguments.of(
                        "bad-no-start.yaml",
                        1,
                        1,
                        "start_urls",
                        "missing; every spider needs start_urls, start_requests or sitemap_urls"),
                Arguments.of(
                        "bad-sitemap-url.yaml",
                        4,
                        5,
                        "sitemap_urls[1]",
                        "invalid URL '/sitemap_index.xml'"),
                Arguments.of(
                        "bad-sitemap-rule-regex.yaml",
                        5,
                        13,
                        "sitemap_rules[1].regex",
                        "invalid regex '/category/(': Unclosed group"),
                Arguments.of(
                        "bad-sitemap-callback.yaml",
                        5,
                        15,
                        "sitemap_rules[0].callback",
                        "unknown callback 'prodcut'; give parse or the name of an item block;"
                                + " did you mean 'product'?"),
                Arguments.of(
                        "bad-sitemap-rule-missing-callback.yaml",
                        4,
                        5,
                        "sitemap_rules[0].callback",
                        "missing; give parse or the name of an item block"),
                Arguments.of(
                        "bad-sitemap-follow.yaml",
                        3,
                        38,
                        "sitemap_follow[1]",
                        "invalid regex '[unclosed': Unclosed character class"),
                Arguments.of(
                        "bad-sitemap-alternate-links.yaml",
                        3,
                        26,
                        "sitemap_alternate_links",
                        "expected true or false, got 'sometimes'"),
                Arguments.of(
                        "bad-item-name.yaml",
                        4,
                        11,
                        "items[0].name",
                        "'parse' cannot name an item block"),
                Arguments.of(
                        "bad-item-name-twice.yaml",
                        7,
                        11,
                        "items[1].name",
                        "item block name 'product' already given on line 4"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void parse_badFile_namesLineColumnAndField(
            String file, int line, int column, String field, String message) throws IOException {
        String yaml = resource(file);

        assertThatThrownBy(() -> YamlSpiders.parse(yaml, file))
                .isInstanceOfSatisfying(
                        SpiderFileException.class,
                        e -> {
                            assertThat(e.problems()).hasSize(1);
                            assertThat(e.file()).isEqualTo(file);
                            assertThat(e.line()).isEqualTo(line);
                            assertThat(e.column()).isEqualTo(column);
                            assertThat(e.field()).isEqualTo(field);
                            assertThat(e.problems().get(0).message()).startsWith(message);
                            String prefix =
                                    file
                                            + ":"
                                            + line
                                            + ":"
                                            + column
                                            + ": "
                                            + (field.isEmpty() ? "" : field + ": ");
                            assertThat(e.getMessage()).startsWith(prefix + message);
                        });
    }

    @Test
    void check_manyProblems_reportsEveryOneInFileOrder() {
        String yaml =
                """
                name: books
                start_url: [http://127.0.0.11:8321/]
                settings:
                  concurrent_requests: -x-
                items:
                  - each: "//article["
                    fields:
                      price: {xpath: p/text(), type: decimal, required: yes}
                      title: {}
                """;

        List<Problem> problems = YamlSpiders.check(yaml, "many.yaml");

        assertThat(problems)
                .extracting(Problem::toString)
                .containsExactly(
                        "many.yaml:1:1: start_urls: missing; every spider needs start_urls,"
                                + " start_requests or sitemap_urls",
                        "many.yaml:2:1: start_url: unknown key 'start_url'; did you mean"
                                + " 'start_urls'?",
                        "many.yaml:4:24: settings.concurrent_requests: has value '-x-', expected a"
                                + " whole number, at least 1",
                        "many.yaml:6:11: items[0].each: invalid XPath '//article[': "
                                + problems.get(3).message().substring(28),
                        "many.yaml:9:14: items[0].fields.title: no selector; give one of xpath,"
                                + " css, jmespath, regex, constant or value");
    }

    @Test
    void parse_validFile_hasNoProblems() {
        String yaml =
                """
                name: shop
                start_urls: [https://shop.example/]
                items:
                  - fields:
                      sku: {regex: 'SKU-(\\d+)', type: int}
                """;

        assertThat(YamlSpiders.check(yaml, "shop.yaml")).isEmpty();
        assertThat(YamlSpiders.parse(yaml, "shop.yaml").items().get(0).fields().get(0))
                .isEqualTo(
                        new FieldDefinition(
                                "sku",
                                null,
                                null,
                                "SKU-(\\d+)",
                                null,
                                null,
                                List.of(),
                                FieldType.INT,
                                false,
                                null));
    }

    @Test
    void parse_sitemapSpider_readsEverySitemapKey() {
        String yaml =
                """
                name: shop
                sitemap_urls: [https://shop.example/robots.txt]
                sitemap_rules:
                  - {regex: /product/, callback: product}
                  - {regex: /category/, callback: parse}
                sitemap_follow: [sitemap-products]
                sitemap_alternate_links: true
                items:
                  - name: product
                    fields:
                      title: //h1/text()
                """;

        SpiderDefinition spider = YamlSpiders.parse(yaml, "shop.yaml");

        assertThat(spider.startUrls()).isEmpty();
        assertThat(spider.sitemaps().urls()).containsExactly("https://shop.example/robots.txt");
        assertThat(spider.sitemaps().rules())
                .containsExactly(
                        new Sitemaps.Rule("/product/", "product"),
                        new Sitemaps.Rule("/category/", "parse"));
        assertThat(spider.sitemaps().follow()).containsExactly("sitemap-products");
        assertThat(spider.sitemaps().alternateLinks()).isTrue();
        assertThat(spider.items().get(0).name()).isEqualTo("product");
    }

    @Test
    void parse_emptyFile_saysWhatIsNeeded() {
        assertThatThrownBy(() -> YamlSpiders.parse("# nothing\n", "empty.yaml"))
                .isInstanceOf(SpiderFileException.class)
                .hasMessage(
                        "empty.yaml:1:1: the file is empty; a spider needs name and start_urls"
                                + " or sitemap_urls");
    }

    @Test
    void parse_requiredWithDefault_isRefused() {
        String yaml =
                """
                name: shop
                start_urls: [https://shop.example/]
                items:
                  - fields:
                      title: {css: h1::text, required: true, default: none}
                """;

        assertThatThrownBy(() -> YamlSpiders.parse(yaml, "shop.yaml"))
                .hasMessage(
                        "shop.yaml:5:55: items[0].fields.title.default: a required field cannot"
                                + " have a default");
    }

    private static String resource(String name) throws IOException {
        try (InputStream in =
                Objects.requireNonNull(
                        SpiderFileErrorsTest.class.getResourceAsStream("/yaml/" + name), name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
