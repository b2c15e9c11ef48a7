package org.arachne.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.encoder.Encoder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

class BodyReaderTest {
    private static final String URL = "http://example.test/";
    private static final byte[] TEXT =
            "<html>gzip and deflate, décodés 中文</html>"
                    .repeat(100)
                    .getBytes(StandardCharsets.UTF_8);

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    static byte[] deflate(byte[] bytes, boolean raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream z = new DeflaterOutputStream(out, new Deflater(6, raw))) {
            z.write(bytes);
        }
        return out.toByteArray();
    }

    /** A budget that never makes a body wait. */
    private static final BodyBudget PLENTY = new BodyBudget(1L << 40, 1);

    private static byte[] read(InputStream in, String encoding, long length, long max)
            throws Exception {
        try (BodyBudget.Claim claim = PLENTY.claim(URL, System.nanoTime() + 1_000_000_000L)) {
            return BodyReader.read(in, encoding, length, max, false, URL, claim).bytes();
        }
    }

    /** A body of unknown length (chunked, or decoded). */
    private static byte[] read(byte[] bytes, String encoding, long max) throws Exception {
        return read(new ByteArrayInputStream(bytes), encoding, -1, max);
    }

    @ParameterizedTest
    @CsvSource({
        // body bytes, declared length (-1: unknown): one chunk, many (doubling past 1 MiB), none
        "0, -1",
        "100, -1",
        "16384, -1",
        "3000000, -1",
        "0, 0",
        "100, 100",
        "3000000, 3000000",
    })
    void read_bodyOfKnownOrUnknownLength_bytesAsSent_reservedWithinTwiceItsSize(
            int size, long declared) throws Exception {
        byte[] body = new byte[size];
        new java.util.Random(size).nextBytes(body);
        BodyBudget budget = new BodyBudget(1L << 30, 1);

        try (BodyBudget.Claim claim = budget.claim(URL, System.nanoTime() + 1_000_000_000L)) {
            byte[] read =
                    BodyReader.read(
                                    new ByteArrayInputStream(body),
                                    null,
                                    declared,
                                    1 << 30,
                                    false,
                                    URL,
                                    claim)
                            .bytes();

            assertThat(read).isEqualTo(body);
            if (declared >= 0) {
                assertThat(claim.held()).as("a known length is reserved once").isEqualTo(size);
            } else {
                assertThat(claim.held()).isLessThanOrEqualTo(2L * size + (256 << 10));
            }
        }
        assertThat(budget.reserved()).as("given back").isZero();
    }

    @Test
    void read_gzip() throws Exception {
        assertThat(read(gzip(TEXT), "gzip", 1 << 20)).isEqualTo(TEXT);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void read_deflate_zlibAndRaw(boolean raw) throws Exception {
        assertThat(read(deflate(TEXT, raw), "deflate", 1 << 20)).isEqualTo(TEXT);
    }

    @Test
    void read_stackedCodings_undoneOutermostFirst() throws Exception {
        assertThat(read(gzip(deflate(TEXT, false)), "deflate, gzip", 1 << 20)).isEqualTo(TEXT);
    }

    static byte[] brotli(byte[] bytes) throws IOException {
        Brotli4jLoader.ensureAvailability(); // the encoder does not load the library itself
        return Encoder.compress(bytes, new Encoder.Parameters().setQuality(5));
    }

    @Test
    void read_unknownCoding_keptAsIs() throws Exception {
        byte[] zstdLike = {1, 2, 3};
        assertThat(BodyReader.canDecode("zstd")).isFalse();
        assertThat(read(zstdLike, "zstd", 100)).isEqualTo(zstdLike);
    }

    @Test
    void acceptEncoding_offersBrotliWhereItsNativeLibraryLoads() {
        // brotli4j ships the native decoder of the platforms the build runs on
        assertThat(Brotli4jLoader.isAvailable()).isTrue();
        assertThat(BodyReader.acceptEncoding()).isEqualTo("gzip, deflate, br");
        assertThat(BodyReader.canDecode("br")).isTrue();
    }

    /** No native brotli (no writable temp dir): one debug line, no stack trace, no br offered. */
    @Test
    void brotliNotLoading_oneDebugLine_brNotOffered() {
        Logger logger = (Logger) LoggerFactory.getLogger(BodyReader.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        Level level = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        try {
            boolean available =
                    BodyReader.brotliAvailable(
                            () -> false,
                            () ->
                                    new UnsatisfiedLinkError(
                                            "/tmp/libbrotli.so: cannot open shared object file"));

            assertThat(available).isFalse();
            assertThat(BodyReader.acceptEncoding(available)).isEqualTo("gzip, deflate");
        } finally {
            logger.detachAppender(logged);
            logger.setLevel(level);
        }
        assertThat(logged.list).hasSize(1);
        ILoggingEvent event = logged.list.get(0);
        assertThat(event.getLevel()).isEqualTo(Level.DEBUG);
        assertThat(event.getThrowableProxy()).as("no stack trace").isNull();
        assertThat(event.getFormattedMessage())
                .contains("not offered")
                .contains("cannot open shared object file")
                .doesNotContain("\n");
    }

    @Test
    void read_brotli() throws Exception {
        assertThat(read(brotli(TEXT), "br", 1 << 20)).isEqualTo(TEXT);
    }

    @Test
    void read_brotliBomb_tooLargeAfterCapBytes() throws Exception {
        byte[] bomb = brotli(new byte[64 * 1024 * 1024]);
        assertThat(bomb.length).isLessThan(1_000);

        assertThatThrownBy(() -> read(bomb, "br", 1024 * 1024))
                .isInstanceOfSatisfying(
                        DownloadException.class,
                        e -> assertThat(e.kind()).isEqualTo(DownloadException.Kind.TOO_LARGE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain text", "truncated", "flipped"})
    void read_corruptBrotli_badEncoding(String corruption) throws Exception {
        byte[] br = brotli(TEXT);
        byte[] corrupt =
                switch (corruption) {
                    case "plain text" -> TEXT;
                    case "truncated" -> Arrays.copyOf(br, br.length / 2);
                    default -> {
                        byte[] flipped = br.clone();
                        for (int i = 2; i < flipped.length; i += 7) {
                            flipped[i] ^= (byte) 0xA5;
                        }
                        yield flipped;
                    }
                };

        assertThatThrownBy(() -> read(corrupt, "br", 1 << 20))
                .isInstanceOfSatisfying(
                        DownloadException.class,
                        e -> {
                            assertThat(e.kind()).isEqualTo(DownloadException.Kind.BAD_ENCODING);
                            assertThat(e.getMessage()).contains("cannot decode br body");
                        });
    }

    @Test
    void read_identityOverCap_tooLarge() {
        assertThatThrownBy(() -> read(TEXT, null, 100))
                .isInstanceOfSatisfying(
                        DownloadException.class,
                        e -> assertThat(e.kind()).isEqualTo(DownloadException.Kind.TOO_LARGE));
    }

    /**
     * With truncation asked (the robots.txt request), a body over the cap is its first cap bytes,
     * decoded, and says so; one within the cap is whole. The body is not read further (#9).
     */
    @ParameterizedTest
    @CsvSource({
        // encoding (-: none), length known, cap, body size
        "-,    false,    1000, 100000",
        "-,    true,     1000, 100000",
        "gzip, false,    1000, 100000",
        "-,    false,   16384, 100000",
        "-,    false,   16385, 100000",
        "-,    false, 524288, 1048576",
        "gzip, false, 524288, 1048576",
        "-,    true,  524288, 1048576",
        "-,    false,  100000, 100000",
        "-,    true,   100000, 100000",
        "-,    false,  100001, 100000",
    })
    void read_truncating_keepsTheFirstCapBytesAndSaysSo(
            String encoding, boolean lengthKnown, int cap, int size) throws Exception {
        byte[] body = new byte[size];
        new java.util.Random(size).nextBytes(body);
        boolean gzip = encoding.equals("gzip");
        byte[] sent = gzip ? gzip(body) : body;
        CountingStream in = new CountingStream(sent);

        BodyReader.Read read;
        try (BodyBudget.Claim claim = PLENTY.claim(URL, System.nanoTime() + 1_000_000_000L)) {
            read =
                    BodyReader.read(
                            in,
                            gzip ? "gzip" : null,
                            lengthKnown ? sent.length : -1,
                            cap,
                            true,
                            URL,
                            claim);
        }

        int kept = Math.min(cap, size);
        assertThat(read.truncated()).isEqualTo(size > cap);
        assertThat(read.bytes()).isEqualTo(Arrays.copyOf(body, kept));
        if (!gzip && size > cap) {
            assertThat(in.read)
                    .as("read no further than one byte past the cap")
                    .isEqualTo(cap + 1L);
        }
    }

    /** Counts the bytes read from it. */
    private static final class CountingStream extends ByteArrayInputStream {
        long read;

        CountingStream(byte[] bytes) {
            super(bytes);
        }

        @Override
        public synchronized int read() {
            int b = super.read();
            if (b >= 0) {
                read++;
            }
            return b;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            int n = super.read(b, off, len);
            if (n > 0) {
                read += n;
            }
            return n;
        }
    }

    @Test
    void read_exactlyAtCap_ok() throws Exception {
        assertThat(read(TEXT, null, TEXT.length)).isEqualTo(TEXT);
    }

    @Test
    void read_gzipBomb_tooLargeAfterCapBytes() throws Exception {
        byte[] bomb = gzip(new byte[16 * 1024 * 1024]);
        assertThat(bomb.length).isLessThan(50_000);

        assertThatThrownBy(() -> read(bomb, "gzip", 1024 * 1024))
                .isInstanceOfSatisfying(
                        DownloadException.class,
                        e -> assertThat(e.kind()).isEqualTo(DownloadException.Kind.TOO_LARGE));
    }

    @Test
    void read_notGzip_badEncoding() {
        assertThatThrownBy(() -> read(TEXT, "gzip", 1 << 20))
                .isInstanceOfSatisfying(
                        DownloadException.class,
                        e -> assertThat(e.kind()).isEqualTo(DownloadException.Kind.BAD_ENCODING));
    }

    @Test
    void read_truncatedGzip_badEncoding() throws Exception {
        byte[] gz = gzip(TEXT);
        byte[] truncated = Arrays.copyOf(gz, gz.length / 2);

        assertThatThrownBy(() -> read(truncated, "gzip", 1 << 20))
                .isInstanceOfSatisfying(
                        DownloadException.class,
                        e -> assertThat(e.kind()).isEqualTo(DownloadException.Kind.BAD_ENCODING));
    }

    @Test
    void read_transportFailure_rethrownAsIs() throws Exception {
        byte[] gz = gzip(TEXT);
        InputStream broken =
                new InputStream() {
                    private int position;

                    @Override
                    public int read() throws IOException {
                        if (position == gz.length / 2) {
                            throw new java.io.EOFException("connection closed");
                        }
                        return gz[position++] & 0xFF;
                    }
                };

        assertThatThrownBy(() -> read(broken, "gzip", -1, 1 << 20))
                .isInstanceOf(java.io.EOFException.class)
                .hasMessage("connection closed");
    }
}
