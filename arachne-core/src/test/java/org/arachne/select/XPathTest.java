package org.arachne.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class XPathTest {
    private static final Page PAGE =
            Fixtures.page("xpath.html", "http://example.com/dir/page.html");

    static Stream<Arguments> expressions() {
        return Stream.of(
                Arguments.of("//h1/text()", List.of("  The   heading  ")),
                Arguments.of("normalize-space(//h1)", List.of("The heading")),
                Arguments.of("string(//title)", List.of("Fixture page")),
                Arguments.of("/html/head/title/text()", List.of("Fixture page")),
                Arguments.of("count(//a)", List.of("3")),
                Arguments.of("count(//li) * 1.5", List.of("4.5")),
                Arguments.of("boolean(//table)", List.of("false")),
                Arguments.of("count(/node())", List.of("1")),
                Arguments.of("string-length(//h2)", List.of("11")),
                Arguments.of("name(//*[@id='sub'])", List.of("h2")),
                Arguments.of("//li[2]/text()", List.of("two")),
                Arguments.of("//li[last()]/text()", List.of("three")),
                Arguments.of("//ul/li[position() < 3]/text()", List.of("one", "two")),
                Arguments.of("(//li)[1]/text()", List.of("one")),
                Arguments.of("//li[not(position()=1)]/text()", List.of("two", "three")),
                Arguments.of("//body//p[b]//text()", List.of("First ", "bold", " para")),
                Arguments.of("//*[@id='x']//*[not(self::b)]/@class", List.of("note")),
                Arguments.of("//a[contains(@href,'book')]/text()", List.of("Book one", "Book two")),
                Arguments.of("//a[starts-with(@href,'/')]/@href", List.of("/book/1", "/about")),
                Arguments.of("//a[@rel='nofollow']/@href", List.of("http://example.com/book/2")),
                Arguments.of("//a[@rel]/@rel/../text()", List.of("Book two")),
                Arguments.of(
                        "//h2 | //h1",
                        List.of("<h1>  The   heading  </h1>", "<h2 id=\"sub\">Sub heading</h2>")),
                Arguments.of("//*[@id='x']/@class", List.of("box")),
                Arguments.of("//div[@id=\"x\"]/p/text()", List.of("First ", " para", "Second")),
                Arguments.of("//*[@id='x']/p[1]//text()", List.of("First ", "bold", " para")),
                Arguments.of("//p[@class='note']/../@id", List.of("x")),
                Arguments.of("//p[@class='note']/preceding-sibling::p/b/text()", List.of("bold")),
                Arguments.of("//li[1]/following-sibling::li/text()", List.of("two", "three")),
                Arguments.of("//li[3]/preceding-sibling::li[1]/text()", List.of("two")),
                Arguments.of("//b/ancestor::*[@id]/@id", List.of("x")),
                Arguments.of("//b/following::li[1]/text()", List.of("one")),
                Arguments.of("//@id", List.of("sub", "x", "list")),
                Arguments.of("id('sub')/text()", List.of("Sub heading")),
                Arguments.of("//text()[normalize-space()='Second']", List.of("Second")),
                Arguments.of("//comment()", List.of("<!-- a comment -->")),
                Arguments.of("//script/text()", List.of("var x = 1 < 2;")),
                Arguments.of(
                        "substring-before(//a[2]/@href, '/book')", List.of("http://example.com")),
                Arguments.of("//nothing", List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("expressions")
    void xpath_onFixture(String expr, List<String> expected) {
        assertThat(PAGE.xpath(expr).getAll()).isEqualTo(expected);
    }

    /**
     * Deliberate differences from parsel, kept: XPath's own string forms of numbers and booleans
     * (parsel prints Python's: "1.0", "1", "inf"), and the tree an HTML5 parser (jsoup, browsers)
     * builds, with the {@code tbody} and {@code head} that lxml does not add.
     */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "count(//table/tbody/tr) | 1",
                "count(//table/tr)       | 0",
                "count(/html/head)       | 1",
                "boolean(//td)           | true",
                "count(//td) div 2       | 0.5",
                "1 div 0                 | Infinity",
                "-0                      | 0",
            })
    void xpath_xpathNumbersAndTheHtml5Tree(String expr, String expected) {
        Page page = Page.parse("<table><tr><td>1</td></tr></table>", "http://example.com/");

        assertThat(page.xpath(expr).getAll()).containsExactly(expected);
    }

    @Test
    void xpath_relativeToEachResult() {
        Selection div = PAGE.xpath("//div[@id='x']");

        assertThat(div.xpath("./p/text()").getAll()).containsExactly("First ", " para", "Second");
        assertThat(div.xpath(".//b/text()").get()).isEqualTo("bold");
        assertThat(div.xpath("p[@class='note']/text()").get()).isEqualTo("Second");
        assertThat(PAGE.xpath("//p[@class='note']").xpath("../@id").get()).isEqualTo("x");
    }

    @Test
    void xpath_absolutePathFromNodeSearchesWholeDocument() {
        assertThat(PAGE.xpath("//li").xpath("//h2/text()").getAll())
                .containsExactly("Sub heading", "Sub heading", "Sub heading");
    }

    @Test
    void xpath_fromAttributeContext() {
        assertThat(PAGE.xpath("//a/@rel").xpath("..").attr("href"))
                .isEqualTo("http://example.com/book/2");
    }

    @Test
    void xpath_onStringResults_empty() {
        assertThat(PAGE.xpath("count(//a)").xpath(".").isEmpty()).isTrue();
    }

    @Test
    void xpath_concatenatesResultsOfEachContext() {
        assertThat(PAGE.xpath("//li").xpath("text()").getAll())
                .containsExactly("one", "two", "three");
    }

    @Test
    void xpath_syntaxError_namesExpression() {
        assertThatThrownBy(() -> PAGE.xpath("//a[@href"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("//a[@href")
                .hasMessageContaining("invalid XPath");
    }

    @Test
    void xpath_unknownFunction_namesExpressionAndFunction() {
        assertThatThrownBy(() -> PAGE.xpath("nosuch(//a)"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nosuch(//a)")
                .hasMessageContaining("nosuch");
    }

    @Test
    void xpath_invalidOnEmptySelection_stillThrows() {
        assertThatThrownBy(() -> PAGE.xpath("//nothing").xpath("///"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("///");
    }

    @Test
    void xpath_sameCompiledExpressionFromManyThreads() throws Exception {
        Page books = Fixtures.page("books.html", "http://books.example/");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<String>>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                futures.add(
                        pool.submit(
                                () -> {
                                    List<String> last = List.of();
                                    for (int i = 0; i < 200; i++) {
                                        last =
                                                books.xpath("//article[@class='product_pod']")
                                                        .xpath("h3/a/@title")
                                                        .getAll();
                                    }
                                    return last;
                                }));
            }
            for (Future<List<String>> f : futures) {
                assertThat(f.get()).containsExactly("T & é 中文", "Sapiens: A Brief History");
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
