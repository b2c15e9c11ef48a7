package org.arachne.middleware;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.arachne.http.Request;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OffsiteFilterTest {

    /**
     * A host or its subdomain passes; ports and schemes in the list are ignored; an international
     * domain matches its punycode host in either spelling (#9).
     */
    @ParameterizedTest
    @CsvSource({
        "example.com, http://example.com/, true",
        "example.com, http://www.example.com/, true",
        "example.com, http://notexample.com/, false",
        "http://example.com:8080, http://example.com:8080/, true",
        "bücher.de, http://www.bücher.de/, true",
        "bücher.de, http://www.xn--bcher-kva.de/, true",
        "xn--bcher-kva.de, http://www.bücher.de/, true",
        "Bücher.DE, http://buecher.de/, false",
    })
    void allows_hostOrSubdomain(String domain, String url, boolean allowed) {
        assertThat(new OffsiteFilter(List.of(domain)).allows(Request.get(url))).isEqualTo(allowed);
    }
}
