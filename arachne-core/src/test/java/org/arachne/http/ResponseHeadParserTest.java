package org.arachne.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.MessageConstraintException;
import org.apache.hc.core5.http.ProtocolException;
import org.apache.hc.core5.http.impl.io.SessionInputBufferImpl;
import org.apache.hc.core5.http.io.HttpMessageParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResponseHeadParserTest {

    private static ClassicHttpResponse parse(String head) throws Exception {
        InputStream in = new ByteArrayInputStream(head.getBytes(StandardCharsets.ISO_8859_1));
        return ResponseHeadParser.factory()
                .create()
                .parse(
                        // as HttpClient's connections make it: the line limit is the buffer's
                        new SessionInputBufferImpl(
                                ResponseHeadParser.LIMITS.getBufferSize(),
                                ResponseHeadParser.LIMITS.getMaxLineLength()),
                        in);
    }

    private static String fields(int count, int valueLength) {
        StringBuilder fields = new StringBuilder();
        for (int i = 0; i < count; i++) {
            fields.append("X-F").append(i).append(": ").append("v".repeat(valueLength));
            fields.append("\r\n");
        }
        return fields.toString();
    }

    @ParameterizedTest
    @CsvSource({
        "'HTTP/1.1 200 OK', 200",
        "'HTTP/1.0 404 Not Found', 404",
        "'HTTP/1.1 999 Whatever', 999",
        "'HTTP/1.1 204', 204",
        "'\r\n\r\nHTTP/1.1 301 Moved', 301",
    })
    void statusLine_read(String line, int status) throws Exception {
        assertThat(parse(line + "\r\nA: b\r\n\r\nbody").getCode()).isEqualTo(status);
    }

    @ParameterizedTest
    @CsvSource({
        "'HTTP/1.1 000 Zero', status code 000 is not one of HTTP's",
        "'HTTP/1.1 042 Low', status code 042 is not one of HTTP's",
        "'<!DOCTYPE html>', no valid status line",
        "'HTTP/1.1 abc', no valid status line",
        "'HTTP/1.1 2000 OK', no valid status line",
        "'ICY 200 OK', no valid status line",
    })
    void notAStatusLine_protocolError(String line, String message) {
        assertThatThrownBy(() -> parse(line + "\r\n\r\n"))
                .isInstanceOf(ProtocolException.class)
                .hasMessageStartingWith(message)
                .hasMessageContaining("'" + line + "'");
    }

    @ParameterizedTest
    @CsvSource({
        // fields, value length: within the limits
        "256, 10",
        "1, 65000",
        "3, 65000",
    })
    void headWithinTheLimits_read(int count, int valueLength) throws Exception {
        ClassicHttpResponse response =
                parse("HTTP/1.1 200 OK\r\n" + fields(count, valueLength) + "\r\n");

        assertThat(response.getHeaders()).hasSize(count);
    }

    @ParameterizedTest
    @CsvSource({
        "257, 10, Maximum header count exceeded",
        "1, 66000, Maximum line length limit exceeded",
        "5, 60000, response head larger than 262144 bytes",
    })
    void headOverTheLimits_refused(int count, int valueLength, String message) {
        assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\n" + fields(count, valueLength) + "\r\n"))
                .isInstanceOf(MessageConstraintException.class)
                .hasMessage(message);
    }

    /** On a reused connection, a line that is no status line is what the last response left. */
    @Test
    void notAStatusLine_afterAnEarlierHead_leftOnTheConnection() throws Exception {
        HttpMessageParser<ClassicHttpResponse> parser = ResponseHeadParser.factory().create();
        SessionInputBufferImpl buffer = new SessionInputBufferImpl(8192, 8192);
        InputStream in =
                new ByteArrayInputStream(
                        "HTTP/1.1 200 OK\r\n\r\n<html>left over</html>\r\nHTTP/1.1 200 OK\r\n\r\n"
                                .getBytes(StandardCharsets.ISO_8859_1));

        assertThat(parser.parse(buffer, in).getCode()).isEqualTo(200);
        assertThatThrownBy(() -> parser.parse(buffer, in))
                .isInstanceOf(ResponseHeadParser.LeftOnTheConnection.class)
                .hasMessageContaining("'<html>left over</html>'");
    }
}
