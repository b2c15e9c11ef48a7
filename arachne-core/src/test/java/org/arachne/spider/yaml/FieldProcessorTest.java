package org.arachne.spider.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.stream.Stream;
import org.arachne.item.Item;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FieldProcessorTest {

    static Stream<Arguments> steps() {
        return Stream.of(
                Arguments.of(
                        FieldProcessor.Simple.STRIP,
                        List.of("  a b \n", "\u00a0c\u00a0", ""),
                        List.of("a b", "c", "")),
                Arguments.of(
                        FieldProcessor.Simple.NORMALIZE_SPACE,
                        List.of("  In \n stock\t(22) ", "\u00a0x\u00a0\u00a0y"),
                        List.of("In stock (22)", "x y")),
                Arguments.of(
                        FieldProcessor.Simple.LOWER, List.of("ÉTÉ Title"), List.of("été title")),
                Arguments.of(FieldProcessor.Simple.UPPER, List.of("title i"), List.of("TITLE I")),
                Arguments.of(
                        FieldProcessor.Simple.STRIP_TAGS,
                        List.of("<p>5 <b>stars</b> &amp; up</p>", "a < b", "plain"),
                        List.of("5 stars & up", "a < b", "plain")),
                Arguments.of(FieldProcessor.Simple.FIRST, List.of("", "b", "c"), List.of("b")),
                Arguments.of(FieldProcessor.Simple.FIRST, List.of("", ""), List.of()),
                Arguments.of(
                        new FieldProcessor.Replace("\\s*\\(.*\\)", ""),
                        List.of("In stock (22 available)"),
                        List.of("In stock")),
                Arguments.of(
                        new FieldProcessor.Replace("(?P<cur>£)(\\d+)", "$2 GBP"),
                        List.of("£12 and £3"),
                        List.of("12 GBP and 3 GBP")),
                Arguments.of(
                        new FieldProcessor.Split(","),
                        List.of("a,b,,c", "d"),
                        List.of("a", "b", "", "c", "d")),
                Arguments.of(
                        new FieldProcessor.Split(null),
                        List.of("  poetry \n classic  ", ""),
                        List.of("poetry", "classic")),
                Arguments.of(
                        new FieldProcessor.Join(", "), List.of("a", "b", "c"), List.of("a, b, c")),
                Arguments.of(new FieldProcessor.Join(" "), List.of(), List.of()));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("steps")
    void compile_appliesTheStepToEveryText(
            FieldProcessor processor, List<String> texts, List<String> expected) {
        assertThat(processor.compile().apply(texts)).isEqualTo(expected);
    }

    @Test
    void parse_processorsInYaml_runInOrderBeforeTheType() {
        String yaml =
                """
                name: shop
                start_urls: [http://shop.test/]
                items:
                  - each: //li
                    fields:
                      name: {xpath: ./b, processors: [strip_tags, normalize_space, upper]}
                      stock: {xpath: ./i/text(), processors: [{replace: ['.*\\((\\d+) left\\).*', '$1']}], type: int}
                      tags: {xpath: ./u/text(), processors: [{split: ','}, strip], type: list}
                      words: {xpath: ./u/text(), processors: [{split: ','}, strip, {join: ' + '}]}
                      first_tag: {xpath: ./u/text(), processors: [split, first]}
                      price: {xpath: ./s/text(), processors: [{replace: [',', '.']}], type: decimal}
                """;
        DeclarativeSpider spider = new DeclarativeSpider(YamlSpiders.parse(yaml, "shop.yaml"));
        RecordingOutput out = new RecordingOutput();
        String html =
                "<ul><li><b> The  <em>Hidden</em>\n Garden </b><i>In stock (3 left)</i>"
                        + "<u>poetry, classic ,</u><s>12,50</s></li></ul>";

        spider.parse(TestResponses.html("http://shop.test/", html), out);

        assertThat(out.items)
                .containsExactly(
                        Item.of(
                                "name",
                                "THE HIDDEN GARDEN",
                                "stock",
                                3L,
                                "tags",
                                List.of("poetry", "classic"),
                                "words",
                                "poetry + classic +",
                                "first_tag",
                                "poetry,",
                                "price",
                                new BigDecimal("12.50")));
        assertThat(spider.definition().items().get(0).fields().get(0).processors())
                .containsExactly(
                        FieldProcessor.Simple.STRIP_TAGS,
                        FieldProcessor.Simple.NORMALIZE_SPACE,
                        FieldProcessor.Simple.UPPER);
    }

    @Test
    void parse_constantWithProcessors_isCheckedAfterThem() {
        String yaml =
                """
                name: shop
                start_urls: [http://shop.test/]
                items:
                  - fields:
                      vat: {constant: '20 %', processors: [{replace: [' %', '']}], type: int}
                """;

        assertThat(YamlSpiders.check(yaml, "shop.yaml")).isEmpty();
    }

    static Stream<Arguments> badProcessors() {
        return Stream.of(
                Arguments.of(
                        "[stirp]",
                        "5:37: items[0].fields.title.processors[0]: unknown processor 'stirp'; did"
                                + " you mean 'strip'?"),
                Arguments.of(
                        "[strip, {normalise_space: x}]",
                        "5:45: items[0].fields.title.processors[1].normalise_space: unknown"
                                + " processor 'normalise_space'; did you mean"
                                + " 'normalize_space'?"),
                Arguments.of(
                        "[{replace: ['(', '']}]",
                        "5:48: items[0].fields.title.processors[0].replace[0]: invalid regex '(':"
                                + " Unclosed group"),
                Arguments.of(
                        "[{replace: ['(a)', '\\1']}]",
                        "5:55: items[0].fields.title.processors[0].replace[1]: '\\1' is Python's"
                                + " syntax; write $1 for group 1"),
                Arguments.of(
                        "[{replace: x}]",
                        "5:47: items[0].fields.title.processors[0].replace: expected [regex,"
                                + " replacement], got 'x'"),
                Arguments.of(
                        "[{replace: [a]}]",
                        "5:47: items[0].fields.title.processors[0].replace: expected [regex,"
                                + " replacement], got a list of 1"),
                Arguments.of(
                        "[replace]",
                        "5:37: items[0].fields.title.processors[0]: replace needs a regex and what"
                                + " each match becomes"),
                Arguments.of(
                        "[{strip: yes}]",
                        "5:38: items[0].fields.title.processors[0].strip: strip takes no"
                                + " argument; write it as a name alone: strip"),
                Arguments.of(
                        "[{split: ''}]",
                        "5:45: items[0].fields.title.processors[0].split: the separator must not"
                                + " be empty"),
                Arguments.of(
                        "[{split: ',', join: ' '}]",
                        "5:37: items[0].fields.title.processors[0]: a processor is a name"
                                + " (strip), or one name with its argument"),
                Arguments.of(
                        "strip",
                        "5:36: items[0].fields.title.processors: expected a list, got 'strip'"
                                + " (write [strip] for a list of one)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badProcessors")
    void check_badProcessor_namesLineColumnAndTheProblem(String processors, String problem) {
        String yaml =
                """
                name: shop
                start_urls: [http://shop.test/]
                items:
                  - fields:
                      title: {css: h1, processors: PROCESSORS}
                """
                        .replace("PROCESSORS", processors);

        assertThat(YamlSpiders.check(yaml, "shop.yaml"))
                .singleElement()
                .extracting(Problem::toString)
                .asString()
                .startsWith("shop.yaml:" + problem);
    }
}
