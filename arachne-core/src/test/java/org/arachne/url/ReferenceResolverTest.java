package org.arachne.url;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReferenceResolverTest {

    /** RFC 3986 section 5.4: the normal and abnormal examples, against one base. */
    @ParameterizedTest
    @CsvSource({
        "g:h, g:h",
        "g, http://a/b/c/g",
        "./g, http://a/b/c/g",
        "g/, http://a/b/c/g/",
        "/g, http://a/g",
        "//g, http://g",
        "?y, http://a/b/c/d;p?y",
        "g?y, http://a/b/c/g?y",
        "#s, http://a/b/c/d;p?q#s",
        "g#s, http://a/b/c/g#s",
        "g?y#s, http://a/b/c/g?y#s",
        ";x, http://a/b/c/;x",
        "g;x, http://a/b/c/g;x",
        "g;x?y#s, http://a/b/c/g;x?y#s",
        "'', http://a/b/c/d;p?q",
        "., http://a/b/c/",
        "./, http://a/b/c/",
        ".., http://a/b/",
        "../, http://a/b/",
        "../g, http://a/b/g",
        "../.., http://a/",
        "../../, http://a/",
        "../../g, http://a/g",
        "../../../g, http://a/g",
        "../../../../g, http://a/g",
        "/./g, http://a/g",
        "/../g, http://a/g",
        "g., http://a/b/c/g.",
        ".g, http://a/b/c/.g",
        "g.., http://a/b/c/g..",
        "..g, http://a/b/c/..g",
        "./../g, http://a/b/g",
        "./g/., http://a/b/c/g/",
        "g/./h, http://a/b/c/g/h",
        "g/../h, http://a/b/c/h",
        "g;x=1/./y, http://a/b/c/g;x=1/y",
        "g;x=1/../y, http://a/b/c/y",
        "g?y/./x, http://a/b/c/g?y/./x",
        "g?y/../x, http://a/b/c/g?y/../x",
        "g#s/./x, http://a/b/c/g#s/./x",
        "g#s/../x, http://a/b/c/g#s/../x",
        // the RFC's non-strict reading, as browsers (and java.net.URL) read it
        "http:g, http://a/b/c/g",
    })
    void resolve_rfc3986Examples(String reference, String expected) {
        assertThat(ReferenceResolver.resolve("http://a/b/c/d;p?q", reference)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "http://a.test, page.html, http://a.test/page.html",
        "http://a.test, ../../g, http://a.test/g",
        "http://a.test/x, HTTPS://B.test/a/../P, https://B.test/P",
        "http://u:p@a.test/x/y, ../g, http://u:p@a.test/g",
        "http://[::1]:8080/p/q, ../r, http://[::1]:8080/r",
        "http://a.test/x, 1abc:x, http://a.test/1abc:x",
        "http://a.test/x, mailto:a@b.test, mailto:a@b.test",
        "not a url, https://b.test/, https://b.test/",
    })
    void resolve_otherBasesAndSchemes(String base, String reference, String expected) {
        assertThat(ReferenceResolver.resolve(base, reference)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "not a url, x.html",
        "http://a.test/, http://",
        "http://a.test/, https:///p",
        "http://a.test/, //user@:80/p",
    })
    void resolve_nothingToResolveAgainst_orNoHost(String base, String reference) {
        assertThat(ReferenceResolver.resolve(base, reference)).isNull();
    }
}
