package org.arachne.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CssTest {
    private static final Page PAGE = Fixtures.page("xpath.html", "http://example.com/");
    private static final Page BOOKS = Fixtures.page("books.html", "http://books.example/");

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
    void css_groupsWithDifferentPseudoElements_concatenated() {
        assertThat(PAGE.css("h2::text, h2::attr(id), li:nth-child(2)").getAll())
                .containsExactly("Sub heading", "sub", "<li>two</li>");
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
