package org.arachne.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import org.junit.jupiter.params.provider.ValueSource;

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

    private static byte[] read(byte[] bytes, String encoding, long max)
            throws IOException, DownloadException {
        return BodyReader.read(new ByteArrayInputStream(bytes), encoding, max, URL);
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

    @Test
    void read_unknownCoding_keptAsIs() throws Exception {
        byte[] brotliLike = {1, 2, 3};
        assertThat(BodyReader.canDecode("br")).isFalse();
        assertThat(read(brotliLike, "br", 100)).isEqualTo(brotliLike);
    }

    @Test
    void read_identityOverCap_tooLarge() {
        assertThatThrownBy(() -> read(TEXT, null, 100))
                .isInstanceOfSatisfying(
                        DownloadException.class,
                        e -> assertThat(e.kind()).isEqualTo(DownloadException.Kind.TOO_LARGE));
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

        assertThatThrownBy(() -> BodyReader.read(broken, "gzip", 1 << 20, URL))
                .isInstanceOf(java.io.EOFException.class)
                .hasMessage("connection closed");
    }
}
