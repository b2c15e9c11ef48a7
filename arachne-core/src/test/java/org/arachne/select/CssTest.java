package org.arachne.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CssTest {
    private static final Page PAGE = Fixtures.page("xpath.html", "http://example.com/");
    private static final Page BOOKS = Fixtures.page("books.html", "http://books.example/");
    private static final Page NESTED =
            Page.parse(
                    "<html><body><div id=d>own<p id=p>lorem <b id=b>hi</b> <em>there</em></p>"
                            + "<map name=m><area shape=circle id=a1><area shape=default id=a2>"
                            + "</map></div><ul><li class=x>one</li><li class=y>two</li></ul>"
                            + "<a><i class=k>link</i></a></body></html>",
                    "http://example.com/");

    @Test
    void css_textPseudoElement_directTextNodes() {
        assertThat(BOOKS.css("p.price_color::text").getAll()).containsExactly("£12.34", "£54.23");
        assertThat(PAGE.css("div#x p::text").getAll()).containsExactly("First ", " para", "Second");
    }

    @Test
    void css_attrPseudoElement() {
        assertThat(BOOKS.css("article.product_pod h3 a::attr(title)").getAll())
                .containsExactly("T & é 中文", "Sapiens: A Brief History");
        assertThat(BOOKS.css("h3 a::attr(\"href\")").getAll())
                .containsExactly("book-00012.html", "book-00013.html");
        assertThat(BOOKS.css("h3 a::attr(missing)").isEmpty()).isTrue();
    }

    @Test
    void css_relativeToEachElement_includesTheElementItself() {
        Selection items = BOOKS.css("article.product_pod");

        assertThat(items.size()).isEqualTo(2);
        assertThat(items.nodes().get(1).css("p.price_color::text").get()).isEqualTo("£54.23");
        assertThat(items.css("article::attr(class)").getAll())
                .containsExactly("product_pod", "product_pod");
    }

    @Test
    void css_bareTextPseudoElement_allTextInDocumentOrder() {
        assertThat(PAGE.css("div#x").css("::text").getAll())
                .containsExactly("First ", "bold", " para", "Second");
    }

    @Test
    void css_groupsWithSamePseudoElement_documentOrder() {
        assertThat(PAGE.css("h2::text, h1::text").getAll())
                .containsExactly("  The   heading  ", "Sub heading");
    }

    @Test
    void css_groupsWithDifferentPseudoElements_documentOrder() {
        assertThat(PAGE.css("h2::text, h2::attr(id), li:nth-child(2)").getAll())
                .containsExactly("sub", "Sub heading", "<li>two</li>");
    }

    /**
     * Pseudo-elements as parsel translates them (values checked with parsel 1.7.0): each row is a
     * query on {@link #NESTED} and its results as {@code <a><b>}.
     */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "div::text                  | <own>",
                "div ::text                 | <own><lorem ><hi>< ><there>",
                "div *::text                | <own><lorem ><hi>< ><there>",
                "div > *::text              | <lorem >< >",
                "div > ::text               | <lorem >< >",
                "#b ::text                  | <hi>",
                "p#p ::text                 | <lorem ><hi>< ><there>",
                "map ::attr(shape)          | <circle><default>",
                "map[name=m] ::attr(name)   | <m>",
                "div ::attr(id)             | <d><p><b><a1><a2>",
                "div > ::attr(id)           | <p>",
                "a > ::attr(class)          | <k>",
                "li ~ ::text                | <two>",
                "li + ::attr(class)         | <y>",
                "p ~ ::attr(name)           | <m>",
                "::attr(shape)              | <circle><default>",
                "::text                     | <own><lorem ><hi>< ><there><one><two><link>",
                "*::text                    | <own><lorem ><hi>< ><there><one><two><link>",
                "li::text, li ::attr(class) | <x><one><y><two>",
                "em::text, b::text, p::text | <lorem ><hi>< ><there>",
                "b::text, b ::text          | <hi>",
                "li::attr(\"class\")          | <x><y>",
                "area::attr( 'shape' )      | <circle><default>",
                "::TEXT                     | <own><lorem ><hi>< ><there><one><two><link>",
                "p:has(b)::text             | <lorem >< >",
            })
    void css_pseudoElements_asParselTranslatesThem(String query, String expected) {
        StringBuilder results = new StringBuilder();
        NESTED.css(query).getAll().forEach(v -> results.append('<').append(v).append('>'));

        assertThat(results.toString()).isEqualTo(expected);
    }

    @Test
    void css_pseudoElements_relativeToEachResult() {
        Selection div = NESTED.css("div");

        assertThat(div.css("::text").getAll()).containsExactly("own", "lorem ", "hi", " ", "there");
        assertThat(div.css("p ::text").getAll()).containsExactly("lorem ", "hi", " ", "there");
        assertThat(div.css("map ::attr(shape)").getAll()).containsExactly("circle", "default");
    }

    /** jsoup lowercases attribute names when it parses HTML, so ::attr() does too (parsel: not). */
    @Test
    void css_attrName_caseInsensitive() {
        assertThat(NESTED.css("area::attr(SHAPE)").getAll()).containsExactly("circle", "default");
    }

    @Test
    void css_onDocument_noWhitespaceOutsideHtmlNorDocumentItself() {
        Page page =
                Page.parse(
                        "<!-- a -->\n<html><body><p>x</p></body></html>\n<!-- b -->\n",
                        "http://example.com/");

        assertThat(page.css("::text").getAll()).containsExactly("x");
        assertThat(page.css("* ::text").getAll()).containsExactly("x");
        assertThat(page.css("*").get()).startsWith("<html>");
        assertThat(page.css("*").size()).isEqualTo(4); // html, head, body, p: jsoup adds <head>
    }

    /** Each row: a query whose pseudo-element is wrong, and part of the message. */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "::attr(12)         | ::attr() takes one attribute name",
                "::attr(34test)     | got '34test'",
                "::attr(@href)      | got '@href'",
                "a::attr()          | got ''",
                "a::attr(a b)       | got 'a b'",
                "a::attr('')        | got ''''",
                "a::attr(\"x\" y)     | ::attr() takes one attribute name",
                "::text()           | unknown pseudo-element '::text()'",
                "::text-node        | unknown pseudo-element '::text-node'",
                "::attribute(x)     | unknown pseudo-element",
                "a::text b          | at the end of a selector",
                "a::text::attr(x)   | unknown pseudo-element '::text::attr(x)'",
                "a::before          | only ::text and ::attr(name)",
                "'a,'               | ''",
            })
    void css_badPseudoElement_errorNamingTheQuery(String query, String message) {
        assertThatThrownBy(() -> NESTED.css(query))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid CSS query '" + query + "'")
                .hasMessageContaining(message);
    }

    @Test
    void css_onNonElementResults_empty() {
        assertThat(BOOKS.css("h3 a::attr(href)").css("a").isEmpty()).isTrue();
    }

    @Test
    void css_invalidQuery_namesQuery() {
        assertThatThrownBy(() -> PAGE.css("div[class"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("div[class");
        assertThatThrownBy(() -> PAGE.css("a::before"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a::before")
                .hasMessageContaining("::text");
    }

    @Test
    void css_sameResultsAsXpath() {
        assertThat(BOOKS.css("article.product_pod h3 a::attr(href)").getAll())
                .isEqualTo(BOOKS.xpath("//article[@class='product_pod']/h3/a/@href").getAll());
    }
}
