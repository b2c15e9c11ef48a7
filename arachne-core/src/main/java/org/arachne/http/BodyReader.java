package org.arachne.http;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.decoder.BrotliInputStream;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
 * or brotli bomb costs at most {@code maxSize} bytes of memory; every byte it holds is reserved in
 * the downloader's {@link BodyBudget} first. Brotli is decoded by brotli4j's native decoder, when
 * it loads on this platform (see {@code docs/decisions/0002-http2.md}).
 */
final class BodyReader {
    private static final Logger LOG = LoggerFactory.getLogger(BodyReader.class);
    private static final int BUFFER = 16 * 1024;
    private static final int MAX_CHUNK = 256 * 1024;
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

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
     * A body as read: its bytes, and whether they are only its first {@code maxSize} (the rest was
     * not read).
     */
    record Read(byte[] bytes, boolean truncated) {}

    /**
     * Reads and decodes the whole body, reserving in {@code claim} every byte it holds before it
     * holds it: a body of known length all at once, before reading, into one array; any other in
     * chunks as it grows, joined at the end (so it holds up to twice its size and 256 KiB for a
     * moment). Errors of the transport (connection closed early, reset, timeout) are rethrown as
     * they are, for the caller to classify; errors of decoding become {@link
     * DownloadException.Kind#BAD_ENCODING}, a body over the cap {@link
     * DownloadException.Kind#TOO_LARGE} (or, with {@code truncate}, its first {@code maxSize}
     * decoded bytes, the rest left unread), and the budget's own refusals are its kinds.
     *
     * @param contentEncoding the codings to undo, outermost last; null or {@link #canDecode}-false
     *     values are read as they are
     * @param length the body's length as the connection frames it, -1 when unknown; at most {@code
     *     maxSize} unless {@code truncate}
     * @param truncate whether a body over {@code maxSize} is cut there instead of failing
     */
    static Read read(
            InputStream raw,
            @Nullable String contentEncoding,
            long length,
            long maxSize,
            boolean truncate,
            String url,
            BodyBudget.Claim claim)
            throws IOException, DownloadException, InterruptedException {
        TransportStream transport = new TransportStream(raw);
        boolean decoding = contentEncoding != null && canDecode(contentEncoding);
        try {
            InputStream decoded = transport;
            if (decoding) {
                String[] codings = contentEncoding.split(",");
                for (int i = codings.length - 1; i >= 0; i--) {
                    decoded = decoder(decoded, codings[i].strip().toLowerCase(Locale.ROOT));
                }
            }
            try (InputStream in = decoded) {
                return !decoding && length >= 0 && length <= maxSize
                        ? new Read(
                                readKnown(in, (int) Math.min(length, MAX_ARRAY), url, claim), false)
                        : readChunks(in, maxSize, truncate, url, claim);
            }
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

    /** A body of known length: reserved whole, read into one array of that size. */
    private static byte[] readKnown(InputStream in, int length, String url, BodyBudget.Claim claim)
            throws IOException, DownloadException, InterruptedException {
        if (length == MAX_ARRAY) {
            throw tooLargeForAnArray(url, length);
        }
        claim.reserveAll(length);
        byte[] body = new byte[length];
        int filled = 0;
        for (int n; filled < length && (n = in.read(body, filled, length - filled)) >= 0; ) {
            filled += n;
        }
        return filled == length ? body : Arrays.copyOf(body, filled);
    }

    /**
     * A body of unknown length (or decoded, or cut at the cap): read into chunks, each reserved
     * before it is made and as large as the body so far (16 KiB to {@value #MAX_CHUNK} bytes), then
     * joined into one array. A chunk is made only once a byte for it arrived, so a body that ends
     * where a chunk ends costs no chunk more. At most one byte past the cap is read, to see the
     * body go over it; with {@code truncate} that byte is dropped and reading stops there.
     */
    private static Read readChunks(
            InputStream in, long maxSize, boolean truncate, String url, BodyBudget.Claim claim)
            throws IOException, DownloadException, InterruptedException {
        List<byte[]> full = new ArrayList<>();
        byte[] chunk = chunk(BUFFER, maxSize, 0, claim);
        int filled = 0;
        long total = 0;
        boolean over = false;
        for (int n; !over && (n = in.read(chunk, filled, chunk.length - filled)) >= 0; ) {
            filled += n;
            total += n;
            if (total > maxSize) {
                over = true;
            } else if (filled == chunk.length) {
                int next = in.read();
                if (next < 0) {
                    break;
                }
                full.add(chunk);
                chunk = chunk(Math.min(total, MAX_CHUNK), maxSize, total, claim);
                chunk[0] = (byte) next;
                filled = 1;
                over = ++total > maxSize;
            }
        }
        if (over) {
            if (!truncate) {
                throw tooLarge(url, maxSize);
            }
            filled--; // the one byte past the cap
            total--;
        }
        if (full.isEmpty()) {
            if (filled == chunk.length) {
                return new Read(chunk, over);
            }
            claim.grow(filled);
            return new Read(Arrays.copyOf(chunk, filled), over);
        }
        if (total >= MAX_ARRAY) {
            throw tooLargeForAnArray(url, total);
        }
        claim.grow(total);
        byte[] body = new byte[(int) total];
        int at = 0;
        for (byte[] part : full) {
            System.arraycopy(part, 0, body, at, part.length);
            at += part.length;
        }
        System.arraycopy(chunk, 0, body, at, filled);
        return new Read(body, over);
    }

    /** A new chunk, reserved: at most one byte past the cap, to see a body go over it. */
    private static byte[] chunk(long size, long maxSize, long total, BodyBudget.Claim claim)
            throws DownloadException, InterruptedException {
        int length = (int) Math.max(1, Math.min(size, maxSize + 1 - total));
        claim.grow(length);
        return new byte[length];
    }

    private static DownloadException tooLarge(String url, long maxSize) {
        return new DownloadException(
                DownloadException.Kind.TOO_LARGE,
                url,
                "body larger than download_maxsize of " + maxSize + " bytes");
    }

    private static DownloadException tooLargeForAnArray(String url, long length) {
        return new DownloadException(
                DownloadException.Kind.TOO_LARGE,
                url,
                "body larger than the largest array (" + length + " bytes)");
    }

    /**
     * Loads brotli4j's native library once, on first use (the copy kept for this user: {@link
     * BrotliNativeLibrary}), and remembers whether it loaded.
     */
    private static final class Brotli {
        static final boolean AVAILABLE = load();

        private static boolean load() {
            BrotliNativeLibrary.prepare();
            return brotliAvailable(
                    Brotli4jLoader::isAvailable, Brotli4jLoader::getUnavailabilityCause);
        }
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
