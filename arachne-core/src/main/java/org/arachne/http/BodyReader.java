package org.arachne.http;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.decoder.BrotliInputStream;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a response body to the end, undoing {@code gzip}, {@code deflate} and {@code br} content
 * codings as it streams, and stops as soon as the decoded bytes pass the size cap, so that a gzip
 * or brotli bomb costs at most {@code maxSize} bytes of memory. Brotli is decoded by brotli4j's
 * native decoder, when it loads on this platform (see {@code docs/decisions/0002-http2.md}).
 */
final class BodyReader {
    private static final Logger LOG = LoggerFactory.getLogger(BodyReader.class);
    private static final int BUFFER = 16 * 1024;

    private BodyReader() {}

    /**
     * The {@code Accept-Encoding} value listing what {@link #read} can decode: {@code gzip,
     * deflate, br}, or {@code gzip, deflate} where brotli4j's native library does not load.
     */
    static String acceptEncoding() {
        return acceptEncoding(Brotli.AVAILABLE);
    }

    static String acceptEncoding(boolean brotli) {
        return brotli ? "gzip, deflate, br" : "gzip, deflate";
    }

    /**
     * Whether {@code br} can be decoded, given whether brotli4j's native library loads. When it
     * does not (no build for this platform, no writable temporary directory to unpack it into), one
     * line at debug level says why: a crawl does without brotli, so this is no news for every run
     * (#9; it was a 28-line stack trace at INFO).
     */
    static boolean brotliAvailable(BooleanSupplier loads, Supplier<@Nullable Throwable> cause) {
        if (loads.getAsBoolean()) {
            return true;
        }
        LOG.debug(
                "brotli (Content-Encoding: br) not offered: brotli4j's native library did not"
                        + " load ({})",
                String.valueOf(cause.get()));
        return false;
    }

    /** Whether this downloader can decode every coding in this {@code Content-Encoding} value. */
    static boolean canDecode(@Nullable String contentEncoding) {
        if (contentEncoding == null) {
            return true;
        }
        for (String coding : contentEncoding.split(",")) {
            switch (coding.strip().toLowerCase(Locale.ROOT)) {
                case "", "identity", "gzip", "x-gzip", "deflate" -> {}
                case "br" -> {
                    if (!Brotli.AVAILABLE) {
                        return false;
                    }
                }
                default -> {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Reads and decodes the whole body. Errors of the transport (connection closed early, reset,
     * timeout) are rethrown as they are, for the caller to classify; errors of decoding become
     * {@link DownloadException.Kind#BAD_ENCODING}, and a body over the cap {@link
     * DownloadException.Kind#TOO_LARGE}.
     *
     * @param contentEncoding the codings to undo, outermost last; null or {@link #canDecode}-false
     *     values are read as they are
     */
    static byte[] read(InputStream raw, @Nullable String contentEncoding, long maxSize, String url)
            throws IOException, DownloadException {
        TransportStream transport = new TransportStream(raw);
        boolean decoding = contentEncoding != null && canDecode(contentEncoding);
        try {
            InputStream in = transport;
            if (decoding) {
                String[] codings = contentEncoding.split(",");
                for (int i = codings.length - 1; i >= 0; i--) {
                    in = decoder(in, codings[i].strip().toLowerCase(Locale.ROOT));
                }
            }
            return readCapped(in, maxSize, url);
        } catch (IOException e) {
            IOException transportFailure = transport.failure;
            if (transportFailure != null) {
                throw transportFailure;
            }
            if (!decoding) {
                throw e;
            }
            // not from the connection, so from a decoder: ZipException, EOFException (gzip,
            // deflate) or brotli4j's IOException
            throw new DownloadException(
                    DownloadException.Kind.BAD_ENCODING,
                    url,
                    "cannot decode " + contentEncoding + " body: " + e.getMessage(),
                    e);
        }
    }

    private static InputStream decoder(InputStream in, String coding) throws IOException {
        return switch (coding) {
            case "gzip", "x-gzip" -> new GZIPInputStream(in, BUFFER);
            case "deflate" -> inflater(in);
            case "br" -> new BrotliInputStream(in, BUFFER);
            default -> in; // "" or identity
        };
    }

    /**
     * {@code deflate} is meant to be zlib-wrapped (RFC 9110), but some servers send raw deflate.
     */
    private static InputStream inflater(InputStream in) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, BUFFER);
        buffered.mark(2);
        int first = buffered.read();
        int second = buffered.read();
        buffered.reset();
        boolean zlib =
                first >= 0
                        && second >= 0
                        && (first & 0x0F) == 8
                        && ((first << 8) | second) % 31 == 0;
        return new InflaterInputStream(buffered, new Inflater(!zlib), BUFFER) {
            @Override
            public void close() throws IOException {
                super.close();
                inf.end(); // an Inflater handed in is not ended by InflaterInputStream
            }
        };
    }

    private static byte[] readCapped(InputStream in, long maxSize, String url)
            throws IOException, DownloadException {
        try (in) {
            byte[] buffer = new byte[BUFFER];
            int length = 0;
            for (int n; (n = in.read(buffer, length, buffer.length - length)) >= 0; ) {
                length += n;
                if (length > maxSize) {
                    throw new DownloadException(
                            DownloadException.Kind.TOO_LARGE,
                            url,
                            "body larger than download_maxsize of " + maxSize + " bytes");
                }
                if (length == buffer.length) {
                    long grown = Math.min((long) buffer.length * 2, maxSize + 1);
                    if (grown > Integer.MAX_VALUE - 8) {
                        throw new DownloadException(
                                DownloadException.Kind.TOO_LARGE,
                                url,
                                "body larger than the largest array (" + length + " bytes read)");
                    }
                    buffer = Arrays.copyOf(buffer, (int) grown);
                }
            }
            return length == buffer.length ? buffer : Arrays.copyOf(buffer, length);
        }
    }

    /** Loads brotli4j's native library once, on first use, and remembers whether it loaded. */
    private static final class Brotli {
        static final boolean AVAILABLE =
                brotliAvailable(
                        Brotli4jLoader::isAvailable, Brotli4jLoader::getUnavailabilityCause);
    }

    /** Remembers the last failure of the connection, to tell it apart from a decoding failure. */
    private static final class TransportStream extends FilterInputStream {
        private @Nullable IOException failure;

        TransportStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }
    }
}
