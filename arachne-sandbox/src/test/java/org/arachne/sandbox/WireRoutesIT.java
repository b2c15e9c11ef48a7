package org.arachne.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.arachne.sandbox.route.BadChunkRoute;
import org.arachne.sandbox.route.Http09Route;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The wire routes, seen byte by byte from a raw socket. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WireRoutesIT {
    private Sandbox sandbox;
    private String host;

    @BeforeEach
    void setUp() throws Exception {
        sandbox = Sandbox.shared();
        sandbox.reset();
        host = sandbox.hosts().get(0);
    }

    private Socket connect() throws IOException {
        return new Socket(host, sandbox.wirePort());
    }

    private static void send(Socket socket, String target) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(
                ("GET " + target + " HTTP/1.1\r\nHost: sandbox\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** One response with a Content-Length: its head and body, read exactly. */
    private static String response(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed inside the head: " + head);
            }
            head.append((char) b);
        }
        int at = head.indexOf("Content-Length: ") + "Content-Length: ".length();
        int length = Integer.parseInt(head.substring(at, head.indexOf("\r\n", at)));
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private static String untilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        return all.toString(StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest
    @CsvSource({"true, true", "false, false"})
    void close_closesAfterTheResponse_sayingSoOrNot(boolean header, boolean saysSo)
            throws Exception {
        try (Socket socket = connect()) {
            send(socket, "/wire/close/7?header=" + header);
            InputStream in = socket.getInputStream();

            String response = response(in);

            assertThat(response).startsWith("HTTP/1.1 200 OK\r\n").contains("/wire/close/7");
            assertThat(response.contains("Connection: close")).isEqualTo(saysSo);
            assertThat(in.read()).as("closed after the response").isEqualTo(-1);
        }
        assertThat(sandbox.log(host).count("/wire/close/7")).isEqualTo(1);
    }

    @Test
    void idleClose_keepsTheConnectionForTheNextRequest_thenClosesItWhenIdle() throws Exception {
        try (Socket socket = connect()) {
            InputStream in = socket.getInputStream();
            send(socket, "/wire/idle-close/1?ms=300");
            assertThat(response(in)).contains("/wire/idle-close/1");
            send(socket, "/wire/idle-close/2?ms=300");
            assertThat(response(in)).doesNotContain("Connection: close");

            assertThat(in.read()).as("closed once idle").isEqualTo(-1);
        }
    }

    @Test
    void unknownPath_404_keptAlive() throws Exception {
        try (Socket socket = connect()) {
            InputStream in = socket.getInputStream();
            send(socket, "/robots.txt");
            assertThat(response(in)).startsWith("HTTP/1.1 404 Not Found\r\n");
            send(socket, "/wire/close/after-404");
            assertThat(response(in)).startsWith("HTTP/1.1 200 OK\r\n");
        }
    }

    @Test
    void statusLine_sentAsGiven() throws Exception {
        try (Socket socket = connect()) {
            send(socket, "/wire/status-line");
            assertThat(untilClosed(socket.getInputStream())).startsWith("HTTP/1.1 000 Zero\r\n");
        }
        try (Socket socket = connect()) {
            send(socket, "/wire/status-line?line=HTTP%2F1.1%20abc");
            assertThat(untilClosed(socket.getInputStream())).startsWith("HTTP/1.1 abc\r\n");
        }
    }

    @Test
    void http09_bodyWithoutStatusLine() throws Exception {
        try (Socket socket = connect()) {
            send(socket, "/wire/http09");
            assertThat(untilClosed(socket.getInputStream()))
                    .startsWith("<!DOCTYPE html>")
                    .contains(Http09Route.TITLE);
        }
    }

    @Test
    void badChunk_chunkSizeLineHoldsControlCharacters() throws Exception {
        try (Socket socket = connect()) {
            send(socket, "/wire/bad-chunk");
            assertThat(untilClosed(socket.getInputStream()))
                    .contains(
                            "Transfer-Encoding: chunked\r\n\r\n"
                                    + BadChunkRoute.CHUNK_LINE
                                    + "\r\n");
        }
    }
}
