package org.arachne.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResponseTest {

    private static Response response(String contentType, String body) {
        Request request = Request.get("http://a.test/page");
        Headers headers =
                contentType == null ? Headers.EMPTY : Headers.of("Content-Type", contentType);
        return new Response(
                request, request.url(), 200, headers, Body.wrap(TestBytes.of(body)), Duration.ZERO);
    }

    /** What a callback reads: each row's header, body bytes, charset and text. */
    @ParameterizedTest(name = "[{0}] {1}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            textBlock =
                    """
            text/html; charset=utf-16le | %FF%FE%00%00<%00%00%00p%00%00%00>%00%00%00 | UTF-32LE     | <p>
            text/html; charset=gbk      | %D6%D0 20%80                              | GB18030      | 中 20€
            text/html                   | <meta charset=gb2312>%80                  | GB18030      | <meta charset=gb2312>€
            text/html; charset=latin1   | caf%E9 %81                                | windows-1252 | café \u0081
            `text/html; x="charset=gbk"`| caf%C3%A9                                 | UTF-8        | café
                                        | <p>ok</p>                                 | UTF-8        | <p>ok</p>
            """)
    void text_decodesAsItsCharset(String contentType, String body, String charset, String text) {
        Response response = response(contentType, body);

        assertThat(response.charset().name()).isEqualTo(charset);
        assertThat(response.text()).isEqualTo(text);
    }

    @Test
    void json_parsesTheBodyOnceWithExactDecimals() {
        Response response =
                response(
                        "application/json",
                        "{\"title\": \"caf%C3%A9\", \"price\": 12.50, \"n\": 3, \"tags\": [\"a\"]}");

        JsonNode json = response.json();

        assertThat(json.get("title").textValue()).isEqualTo("café");
        assertThat(json.get("price").decimalValue()).isEqualTo(new BigDecimal("12.50"));
        assertThat(json.get("n").intValue()).isEqualTo(3);
        assertThat(json.get("tags").get(0).textValue()).isEqualTo("a");
        assertThat(response.json()).isSameAs(json);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            textBlock =
                    """
            <html><p>not json</p></html> | is not JSON
            {"a": 1} trailing            | is not JSON
            {"a":                        | is not JSON
            ``                           | is empty, not JSON
            """)
    void json_bodyThatIsNoJson_isRefusedNamingTheUrl(String body, String problem) {
        Response response = response("application/json", body);

        assertThatThrownBy(response::json)
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageStartingWith("the body of http://a.test/page " + problem);
    }
}
