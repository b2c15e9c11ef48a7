package org.arachne.select;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SelectionTest {
    private static final Page PAGE = Fixtures.page("xpath.html", "http://example.com/");
    private static final Page DOUBAN =
            Fixtures.page("douban.html", "https://book.douban.com/top250");

    @Test
    void get_elementIsOuterHtmlAsInPage() {
        assertThat(PAGE.xpath("//p[@class='note']").get())
                .isEqualTo("<p class=\"note\">Second</p>");
        assertThat(PAGE.css("div#x p").get()).isEqualTo("<p>First <b>bold</b> para</p>");
    }

    @Test
    void get_emptySelection_nullOrDefault() {
        Selection none = PAGE.xpath("//table");

        assertThat(none.get()).isNull();
        assertThat(none.get("n/a")).isEqualTo("n/a");
        assertThat(none.getAll()).isEmpty();
        assertThat(none.size()).isZero();
        assertThat(none.isEmpty()).isTrue();
        assertThat(none.attr("id")).isNull();
        assertThat(none.text()).isEmpty();
        assertThat(PAGE.xpath("//h2/text()").get("n/a")).isEqualTo("Sub heading");
    }

    @Test
    void attr_firstElement() {
        assertThat(PAGE.xpath("//a").attr("href")).isEqualTo("/book/1");
        assertThat(PAGE.xpath("//a").attr("rel")).isNull();
        assertThat(PAGE.xpath("//a/@href | //h2").attr("id")).isEqualTo("sub");
    }

    @Test
    void text_joinsAndCollapsesWhitespace() {
        assertThat(PAGE.xpath("//h1").text()).isEqualTo("The heading");
        assertThat(PAGE.xpath("//div[@id='x']/p").text()).isEqualTo("First bold para Second");
        assertThat(PAGE.css("li::text").text()).isEqualTo("one two three");
    }

    @Test
    void re_noGroups_wholeMatches() {
        assertThat(DOUBAN.css("span.pl::text").re("\\d+"))
                .containsExactly("421375", "413280", "367145");
    }

    @Test
    void re_oneGroup_groupOfEachMatch() {
        assertThat(DOUBAN.xpath("//p[@class='pl']/text()").re("/ ([\\d.]+)元"))
                .containsExactly("59.70", "39.50", "22.00");
    }

    @Test
    void re_manyGroups_allGroupsInOrder() {
        assertThat(DOUBAN.xpath("//p[@class='pl']/text()").re("(\\d{4})-(\\d+)"))
                .containsExactly("1996", "12", "2011", "6", "2003", "8");
        assertThat(PAGE.xpath("//li/text()").re("(o)|(w)"))
                .containsExactly("o", "", "", "w", "o", "");
    }

    @Test
    void re_namedExtractGroup_onlyThatGroup() {
        assertThat(DOUBAN.css("span.rating_nums::text").re("(\\d)\\.(?<extract>\\d)"))
                .containsExactly("6", "3", "1");
    }

    /**
     * parsel's {@code extract_regex} (values checked with parsel 1.7.0): with a group named
     * extract, one search per result and only that group; nothing when the first match leaves the
     * group out.
     */
    @ParameterizedTest
    @CsvSource({
        "'(?P<extract>\\d)', '1 2 3', <1>",
        "'(\\d)\\.(?P<extract>\\d)', 'rated 9.6 of 10.0', <6>",
        "'(?P<extract>a)|b', 'b a', ''",
        "'(?P<extract>a)|b', 'a b', <a>",
        "'(?P<extract>x)?y', 'y', ''",
        "'(?P<extract>x*)y', 'y', <>",
        // the same rules in Java's syntax
        "'(?<extract>\\d)', '1 2 3', <1>",
        "'(?<extract>a)|b', 'b a', ''",
    })
    void re_extractGroup_firstMatchOnly(String regex, String text, String expected) {
        assertThat(bracketed(Selection.ofText(text).re(regex))).isEqualTo(expected);
    }

    @Test
    void re_extractGroup_searchedInEachResult() {
        assertThat(PAGE.xpath("//li/text()").re("(?P<extract>[a-z])"))
                .containsExactly("o", "t", "t");
        assertThat(PAGE.xpath("//li/text()").reFirst("(?P<extract>h)|t")).isNull();
    }

    /** Python's findall, flattened: each row is a regex, a text and what parsel 1.7.0 returns. */
    @ParameterizedTest
    @CsvSource({
        "'\\d+', 'a1b22', <1><22>",
        "'(\\d)(\\w)', '1a2b', <1><a><2><b>",
        "'(?P<n>\\d)-(?P<m>\\d)', '1-2 3-4', <1><2><3><4>",
        "'(a)|(b)', 'ab', <a><><><b>",
        "'x*', 'axx', <><xx><>",
    })
    void re_withoutExtract_findallFlattened(String regex, String text, String expected) {
        assertThat(bracketed(Selection.ofText(text).re(regex))).isEqualTo(expected);
    }

    /** The strings as {@code <a><b>}, so that an empty string shows as {@code <>}. */
    private static String bracketed(List<String> strings) {
        StringBuilder sb = new StringBuilder();
        strings.forEach(s -> sb.append('<').append(s).append('>'));
        return sb.toString();
    }

    @Test
    void re_unicodeClasses_asInPython() {
        assertThat(Selection.ofText("¡Feliz cumpleaños, José!").re("\\b\\w+\\b"))
                .containsExactly("Feliz", "cumpleaños", "José");
        assertThat(DOUBAN.css("div.pl2 a::text").re("^\\w+$"))
                .containsExactly("红楼梦", "百年孤独", "小王子");
    }

    @Test
    void reFirst_default_whenNothingMatches() {
        assertThat(DOUBAN.css("span.pl::text").reFirst("(?P<votes>\\d+)人评价", "0"))
                .isEqualTo("421375");
        assertThat(DOUBAN.css("span.pl::text").reFirst("nomatch", "0")).isEqualTo("0");
    }

    @Test
    void reFirst_firstMatchOrNull() {
        assertThat(DOUBAN.css("span.pl::text").reFirst("(\\d+)人评价")).isEqualTo("421375");
        assertThat(DOUBAN.css("span.pl::text").reFirst(Pattern.compile("\\d+")))
                .isEqualTo("421375");
        assertThat(DOUBAN.css("span.pl::text").reFirst("nomatch")).isNull();
    }

    @Test
    void nodes_andIteration_onePerResult() {
        Selection lis = PAGE.xpath("//li");
        List<String> viaIterator = new ArrayList<>();
        for (Selection li : lis) {
            assertThat(li.size()).isEqualTo(1);
            viaIterator.add(li.xpath("text()").get());
        }

        assertThat(viaIterator).containsExactly("one", "two", "three");
        assertThat(lis.nodes()).hasSize(3);
        assertThat(lis.nodes().get(2).get()).isEqualTo("<li>three</li>");
    }

    @Test
    void toString_showsValues() {
        assertThat(PAGE.xpath("//li/text()").toString()).isEqualTo("Selection[one, two, three]");
    }
}
