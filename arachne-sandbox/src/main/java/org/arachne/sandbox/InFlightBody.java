package org.arachne.sandbox;

import com.sun.net.httpserver.HttpExchange;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import org.jspecify.annotations.Nullable;

/**
 * Wraps a response body so that the request stops counting as in flight just before its last byte
 * goes out: at the write that completes the declared Content-Length, or at close (the last chunk of
 * a chunked body). A client that waits for the whole response before its next request then never
 * overlaps with it in the {@link RequestLog}.
 */
final class InFlightBody extends FilterOutputStream {
    private final HttpExchange exchange;
    private final Runnable release;
    private long expected = -2; // -2: not looked up yet; -1: no declared length
    private long written;

    InFlightBody(HttpExchange exchange, OutputStream out, Runnable release) {
        super(out);
        this.exchange = exchange;
        this.release = release;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (expected == -2) {
            @Nullable String length = exchange.getResponseHeaders().getFirst("Content-Length");
            expected = length == null ? -1 : Long.parseLong(length);
        }
        written += len;
        if (expected >= 0 && written >= expected) {
            release.run();
        }
        out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
        release.run();
        out.close();
    }
}
