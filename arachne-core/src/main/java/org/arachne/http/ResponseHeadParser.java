package org.arachne.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.MessageConstraintException;
import org.apache.hc.core5.http.ParseException;
import org.apache.hc.core5.http.ProtocolException;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.io.DefaultHttpResponseParser;
import org.apache.hc.core5.http.io.HttpMessageParser;
import org.apache.hc.core5.http.io.HttpMessageParserFactory;
import org.apache.hc.core5.http.io.SessionInputBuffer;
import org.apache.hc.core5.http.message.BasicClassicHttpResponse;
import org.apache.hc.core5.http.message.BasicLineParser;
import org.apache.hc.core5.http.message.StatusLine;
import org.apache.hc.core5.util.CharArrayBuffer;

/**
 * Reads the head of an HTTP/1.1 response, failing with a {@link ProtocolException} that names the
 * line where HttpClient's own parser is lenient or breaks (#9). HttpClient skips any line it cannot
 * read as a status line, so an HTTP/0.9 reply (a body with no status line) or a garbled status line
 * reads as no response at all ("failed to respond", a reset that was retried); and its message
 * factory throws {@link IllegalArgumentException} on the status code {@code 000}, which escaped as
 * a bug of the engine. Here both are the server's protocol errors. Empty lines before the status
 * line are still skipped (up to 10), as HttpClient and browsers do. On a connection that already
 * carried a response, a line that is no status line is the rest of that response ({@link
 * LeftOnTheConnection}), not this one's answer.
 *
 * <p>Limits ({@link #LIMITS}, which the HTTP/1.1 connections of the HTTP/2 client share): at most
 * {@value #MAX_HEADER_COUNT} header fields, lines of at most {@value #MAX_LINE_LENGTH} bytes, where
 * HttpClient refuses 100 fields or a line over 8 KiB, which real sites exceed (long {@code
 * Content-Security-Policy} fields, dozens of {@code Set-Cookie}); and here at most {@value
 * #MAX_HEAD_BYTES} bytes in all, as in Chromium ({@code kMaxHeaderBufSize} in {@code
 * net/http/http_stream_parser.cc}; Firefox allows 384 KiB, {@code
 * network.http.max_response_header_size}), so that a hostile head costs little memory. Browsers
 * count no fields and no lines; the two numbers are ours, eight and two and a half times
 * HttpClient's.
 */
final class ResponseHeadParser extends DefaultHttpResponseParser {
    /** The most bytes of a response head read by this parser (status line and fields). */
    static final int MAX_HEAD_BYTES = 256 * 1024;

    /** The longest line of a response head. */
    static final int MAX_LINE_LENGTH = 64 * 1024;

    /** The most header fields of a response head. */
    static final int MAX_HEADER_COUNT = 256;

    /**
     * HttpClient's HTTP/1.1 settings with the line and field limits (HttpClient refuses a head once
     * it holds its maximum count of fields, so that count is one more than those accepted).
     */
    static final Http1Config LIMITS =
            Http1Config.custom()
                    .setMaxLineLength(MAX_LINE_LENGTH)
                    .setMaxHeaderCount(MAX_HEADER_COUNT + 1)
                    .build();

    /** Quoted from a line that is no status line, at most. */
    private static final int QUOTED = 200;

    /** Whether a head was read on this connection before (one parser per connection). */
    private boolean answered;

    private ResponseHeadParser(Http1Config config) {
        super(config);
    }

    /** Makes one parser per connection, with {@link #LIMITS}. */
    static HttpMessageParserFactory<ClassicHttpResponse> factory() {
        return new HttpMessageParserFactory<>() {
            @Override
            public HttpMessageParser<ClassicHttpResponse> create() {
                return new ResponseHeadParser(LIMITS);
            }

            @Override
            @Deprecated
            public HttpMessageParser<ClassicHttpResponse> create(Http1Config config) {
                return new ResponseHeadParser(config);
            }
        };
    }

    /**
     * Reads one head, counting the bytes taken from the connection: past {@link #MAX_HEAD_BYTES}
     * (and one buffer more, which may hold the start of the body) the head is refused.
     */
    @Override
    public ClassicHttpResponse parse(SessionInputBuffer buffer, InputStream in)
            throws IOException, HttpException {
        return super.parse(buffer, new HeadStream(in, MAX_HEAD_BYTES + LIMITS.getBufferSize()));
    }

    @Override
    protected ClassicHttpResponse createMessage(CharArrayBuffer line)
            throws IOException, HttpException {
        StatusLine status;
        try {
            status = BasicLineParser.INSTANCE.parseStatusLine(line);
        } catch (ParseException e) {
            if (answered) {
                throw new LeftOnTheConnection(quote(line));
            }
            throw new ProtocolException(
                    "no valid status line (an HTTP/0.9 reply, or garbage): '" + quote(line) + "'");
        }
        if (status.getStatusCode() < 100) {
            throw new ProtocolException(
                    "status code "
                            + String.format(Locale.ROOT, "%03d", status.getStatusCode())
                            + " is not one of HTTP's (100-999): '"
                            + quote(line)
                            + "'");
        }
        BasicClassicHttpResponse response =
                new BasicClassicHttpResponse(status.getStatusCode(), status.getReasonPhrase());
        response.setVersion(status.getProtocolVersion());
        answered = true;
        return response;
    }

    private static String quote(CharArrayBuffer line) {
        return line.length() <= QUOTED
                ? line.toString()
                : line.substring(0, QUOTED) + "... (" + line.length() + " characters)";
    }

    /**
     * What a reused connection held where the next status line should be: the rest of an earlier
     * response that was longer than it declared (a body sent with a HEAD, a 204 or a 304). The
     * connection is unusable, but the server did not answer this request yet: {@link
     * StaleConnections} sends it again on a new one.
     */
    static final class LeftOnTheConnection extends IOException {
        private static final long serialVersionUID = 1L;

        LeftOnTheConnection(String line) {
            super(
                    "bytes left on a reused connection where a status line should be (the earlier"
                            + " response was longer than it declared): '"
                            + line
                            + "'");
        }
    }

    /** The connection's stream while a head is read: refuses to give more than the limit. */
    private static final class HeadStream extends FilterInputStream {
        private final long limit;
        private long read;

        HeadStream(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            int n = super.read(bytes, offset, length);
            count(Math.max(n, 0));
            return n;
        }

        private void count(int n) throws MessageConstraintException {
            read += n;
            if (read > limit) {
                throw new MessageConstraintException(
                        "response head larger than " + MAX_HEAD_BYTES + " bytes");
            }
        }
    }
}
