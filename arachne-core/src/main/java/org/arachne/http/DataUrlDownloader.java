package org.arachne.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.arachne.url.Urls;

/**
 * Answers {@code data:} URLs (RFC 2397) from the URL itself, without the network, as Scrapy's
 * DataURIDownloadHandler does, and hands every other request to the downloader it wraps. The engine
 * wraps every crawl's downloader in one, so a spider's {@code Request.get("data:...")} is answered
 * like any page: status 200, the media type as {@code Content-Type}, the body decoded.
 *
 * <p>The URL is read as the Fetch standard's "data: URL processor" reads it: the media type is what
 * comes before the first comma (without its fragment), whitespace stripped, {@code
 * text/plain;charset=US-ASCII} when it is missing or no media type; the rest is percent-decoded,
 * then base64-decoded when the media type ends with {@code ;base64} (spaces allowed before {@code
 * base64}, any case), by WHATWG's forgiving-base64 decode (whitespace skipped, padding optional).
 * The media type is read as RFC 9110 writes it ({@link MediaType}), which differs from WHATWG's
 * MIME parser only on malformed parameters.
 *
 * <p>Errors: base64 that the forgiving decode refuses fails as {@link
 * DownloadException.Kind#BAD_ENCODING}, which is not retried. A data: URL without a comma is
 * refused before, by {@link Request}.
 *
 * <p>Thread-safety: safe for concurrent use when the wrapped downloader is. Lifecycle: {@link
 * #close()} closes the wrapped downloader.
 */
public final class DataUrlDownloader implements Downloader {
    /** {@link Response#protocol()} of an answer from a data: URL. */
    public static final String PROTOCOL = "data";

    private static final String DEFAULT_TYPE = "text/plain;charset=US-ASCII";
    private static final Pattern BASE64 =
            Pattern.compile(";\\u0020*base64$", Pattern.CASE_INSENSITIVE);

    private final Downloader network;

    /**
     * @param network the downloader of every request that is not a data: URL
     */
    public DataUrlDownloader(Downloader network) {
        this.network = Objects.requireNonNull(network, "network");
    }

    @Override
    public Response fetch(Request request) throws DownloadException, InterruptedException {
        if (!Urls.isData(request.url())) {
            return network.fetch(request);
        }
        String url = request.url();
        int hash = url.indexOf('#');
        String input = url.substring(5, hash >= 0 ? hash : url.length());
        int comma = input.indexOf(',');
        String mediaType = input.substring(0, comma).strip();
        byte[] body = percentDecoded(input.substring(comma + 1));
        Matcher base64 = BASE64.matcher(mediaType);
        if (base64.find()) {
            body = forgivingBase64(new String(body, StandardCharsets.ISO_8859_1), url);
            mediaType = mediaType.substring(0, base64.start());
        }
        if (mediaType.startsWith(";")) {
            mediaType = "text/plain" + mediaType;
        }
        MediaType parsed = MediaType.parse(mediaType);
        String contentType = parsed == null ? DEFAULT_TYPE : parsed.serialized();
        return new Response(
                request,
                url,
                200,
                Headers.of("Content-Type", contentType),
                Body.wrap(body),
                Duration.ZERO,
                PROTOCOL);
    }

    /** The bytes a percent-encoded string stands for; a {@code %} that starts no escape is kept. */
    private static byte[] percentDecoded(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < utf8.length; i++) {
            int high = i + 2 < utf8.length ? Character.digit(utf8[i + 1], 16) : -1;
            int low = i + 2 < utf8.length ? Character.digit(utf8[i + 2], 16) : -1;
            if (utf8[i] == '%' && high >= 0 && low >= 0) {
                bytes.write(high << 4 | low);
                i += 2;
            } else {
                bytes.write(utf8[i]);
            }
        }
        return bytes.toByteArray();
    }

    /**
     * WHATWG Infra's forgiving-base64 decode: ASCII whitespace removed, one or two {@code =} at the
     * end dropped from a length that is a multiple of 4, then only the 64 characters, of a length
     * that leaves no lone character; the bits left over are discarded.
     */
    private static byte[] forgivingBase64(String text, String url) throws DownloadException {
        StringBuilder data = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\t' && c != '\n' && c != '\f' && c != '\r' && c != ' ') {
                data.append(c);
            }
        }
        if (data.length() % 4 == 0 && data.length() > 0 && data.charAt(data.length() - 1) == '=') {
            data.setLength(data.length() - (data.charAt(data.length() - 2) == '=' ? 2 : 1));
        }
        if (data.length() % 4 == 1) {
            throw badBase64(url, "its length leaves one character over");
        }
        for (int i = 0; i < data.length(); i++) {
            char c = data.charAt(i);
            boolean alphabet =
                    c >= 'A' && c <= 'Z'
                            || c >= 'a' && c <= 'z'
                            || c >= '0' && c <= '9'
                            || c == '+'
                            || c == '/';
            if (!alphabet) {
                throw badBase64(
                        url, String.format(Locale.ROOT, "it holds U+%04X at %d", (int) c, i));
            }
        }
        // the JDK's decoder takes a missing padding, and discards the bits left over
        return Base64.getDecoder().decode(data.toString());
    }

    private static DownloadException badBase64(String url, String why) {
        return new DownloadException(
                DownloadException.Kind.BAD_ENCODING,
                url,
                "the data of this data: URL is not base64: " + why);
    }

    @Override
    public void close() {
        network.close();
    }
}
