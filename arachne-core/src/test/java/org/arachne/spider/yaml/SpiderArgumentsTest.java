package org.arachne.spider.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.arachne.item.Item;
import org.junit.jupiter.api.Test;

class SpiderArgumentsTest {
    private static final String SPIDER =
            """
            name: shop
            arguments:
              category: travel
              host: ~
              pages: 3
            start_urls: ['https://${host}/c/${category}?pages=${pages}']
            allowed_domains: ['${host}']
            settings:
              user_agent: 'shop-bot (${category})'
              default_request_headers: {Referer: 'https://${host}/', X-Literal: '$${host}'}
            items:
              - fields:
                  category: {constant: '${category}'}
                  title: //h1/text()
            output: '${category}.jsonl'
            """;

    @Test
    void parse_givenArguments_areSubstitutedWhereverTheFileUsesThem() {
        SpiderDefinition spider =
                YamlSpiders.parse(
                        SPIDER, "shop.yaml", Map.of("host", "shop.example", "category", "poetry"));

        assertThat(spider.startUrls()).containsExactly("https://shop.example/c/poetry?pages=3");
        assertThat(spider.allowedDomains()).containsExactly("shop.example");
        assertThat(spider.settings())
                .containsEntry("user_agent", "shop-bot (poetry)")
                .containsEntry(
                        "default_request_headers",
                        Map.of("Referer", "https://shop.example/", "X-Literal", "${host}"));
        assertThat(spider.output()).isEqualTo(new OutputDefinition("poetry.jsonl", false));
        RecordingOutput out = new RecordingOutput();
        new DeclarativeSpider(spider)
                .parse(TestResponses.html("https://shop.example/", "<h1>Atlas</h1>"), out);
        assertThat(out.items).containsExactly(Item.of("category", "poetry", "title", "Atlas"));
    }

    @Test
    void parse_argumentNotGiven_takesItsDefault() {
        SpiderDefinition spider =
                YamlSpiders.parse(SPIDER, "shop.yaml", Map.of("host", "shop.example"));

        assertThat(spider.startUrls()).containsExactly("https://shop.example/c/travel?pages=3");
    }

    @Test
    void check_argumentWithoutDefaultNotGiven_isNamedAtItsDeclaration() {
        assertThat(YamlSpiders.check(SPIDER, "shop.yaml", Map.of()))
                .extracting(Problem::toString)
                .containsExactly(
                        "shop.yaml:4:3: arguments.host: argument 'host' has no default and is not"
                                + " given; give it with -a host=VALUE");
    }

    @Test
    void check_argumentGivenButNotDeclared_isNamedWithTheClosestDeclaredOne() {
        assertThat(
                        YamlSpiders.check(
                                SPIDER, "shop.yaml", Map.of("host", "a.test", "categroy", "x")))
                .extracting(Problem::toString)
                .containsExactly(
                        "shop.yaml:3:3: arguments: argument 'categroy' is given but not declared;"
                                + " did you mean 'category'?");
    }

    @Test
    void check_argumentGivenToASpiderWithoutArguments_saysHowToDeclareIt() {
        String yaml = "name: shop\nstart_urls: ['https://a.test/']\n";

        assertThat(YamlSpiders.check(yaml, "shop.yaml", Map.of("category", "x")))
                .extracting(Problem::toString)
                .containsExactly(
                        "shop.yaml:1:1: arguments: argument 'category' is given but not declared;"
                                + " the spider declares no arguments (declare it under"
                                + " arguments:, with its default)");
    }

    @Test
    void check_referenceToAnUndeclaredArgument_isNamedWhereItIsUsed() {
        String yaml =
                """
                name: shop
                arguments: {category: travel}
                start_urls: ['https://a.test/${categry}']
                settings:
                  user_agent: '${agent}'
                """;

        assertThat(YamlSpiders.check(yaml, "shop.yaml"))
                .extracting(Problem::toString)
                .containsExactly(
                        "shop.yaml:3:14: start_urls[0]: '${categry}' names no argument; did you"
                                + " mean 'category'?",
                        "shop.yaml:5:15: settings.user_agent: '${agent}' names no argument;"
                                + " declared: category");
    }

    @Test
    void check_substitutedSettingOrUrl_isCheckedAsWritten() {
        String yaml =
                """
                name: shop
                arguments: {delay: 1s, start: 'https://a.test/'}
                start_urls: ['${start}']
                settings:
                  download_delay: '${delay}'
                """;

        assertThat(
                        YamlSpiders.check(
                                yaml, "shop.yaml", Map.of("delay", "soon", "start", "ftp://a")))
                .extracting(Problem::toString)
                .satisfiesExactly(
                        url ->
                                assertThat(url)
                                        .startsWith(
                                                "shop.yaml:3:14: start_urls[0]: invalid URL"
                                                        + " 'ftp://a'"),
                        delay ->
                                assertThat(delay)
                                        .startsWith(
                                                "shop.yaml:5:19: settings.download_delay: has"
                                                        + " value 'soon', expected a duration"));
    }

    @Test
    void check_badArgumentName_isRefused() {
        String yaml =
                """
                name: shop
                arguments: {2nd-page: x}
                start_urls: ['https://a.test/']
                """;

        assertThat(YamlSpiders.check(yaml, "shop.yaml"))
                .extracting(Problem::toString)
                .containsExactly(
                        "shop.yaml:2:13: arguments.2nd-page: '2nd-page' cannot name an argument;"
                                + " use letters, digits and _, not starting with a digit");
    }

    @Test
    void parse_selectorsAndRegexes_keepTheirDollarSigns() {
        String yaml =
                """
                name: shop
                arguments: {x: 1}
                start_urls: ['https://a.test/']
                items:
                  - fields:
                      price: {xpath: //p/text(), regex: '\\$(\\d+)$'}
                """;

        assertThat(YamlSpiders.parse(yaml, "shop.yaml").items().get(0).fields())
                .extracting(FieldDefinition::regex)
                .isEqualTo(List.of("\\$(\\d+)$"));
    }
}
