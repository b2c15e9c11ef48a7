package org.arachne.sandbox.route;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.Charset;

/**
 * Pages in a legacy encoding, each containing a known phrase, for charset detection:
 *
 * <ul>
 *   <li>{@code /fault/gbk}: GBK bytes, {@code Content-Type: text/html; charset=gbk};
 *   <li>{@code /fault/gbk-meta}: GBK bytes, charset only in {@code <meta charset="gbk">};
 *   <li>{@code /fault/gbk-sniff}: GBK bytes, no declaration anywhere ({@code text/html});
 *   <li>{@code /fault/shift-jis}: Shift_JIS bytes, {@code charset=shift_jis} in the header.
 * </ul>
 */
public final class CharsetRoute implements Route {
    /** Chinese text in every GBK page. */
    public static final String CHINESE_PHRASE = "我们喜欢被爬取：中文编码测试页面，字符集必须正确识别。";

    /** Japanese text in the Shift_JIS page. */
    public static final String JAPANESE_PHRASE = "日本語の文字コードを正しく判定してください。";

    private final String path;
    private final Charset charset;
    private final String headerCharset;
    private final String metaCharset;
    private final String phrase;

    private CharsetRoute(
            String path, String charset, String headerCharset, String metaCharset, String phrase) {
        this.path = path;
        this.charset = Charset.forName(charset);
        this.headerCharset = headerCharset;
        this.metaCharset = metaCharset;
        this.phrase = phrase;
    }

    /** {@code /fault/gbk}: charset in the Content-Type header. */
    public static CharsetRoute gbk() {
        return new CharsetRoute("/fault/gbk", "GBK", "gbk", "", CHINESE_PHRASE);
    }

    /** {@code /fault/gbk-meta}: charset in a meta tag only. */
    public static CharsetRoute gbkMeta() {
        return new CharsetRoute("/fault/gbk-meta", "GBK", "", "gbk", CHINESE_PHRASE);
    }

    /** {@code /fault/gbk-sniff}: no declaration; the bytes must be sniffed. */
    public static CharsetRoute gbkSniff() {
        return new CharsetRoute("/fault/gbk-sniff", "GBK", "", "", CHINESE_PHRASE);
    }

    /** {@code /fault/shift-jis}: Japanese, charset in the Content-Type header. */
    public static CharsetRoute shiftJis() {
        return new CharsetRoute("/fault/shift-jis", "Shift_JIS", "shift_jis", "", JAPANESE_PHRASE);
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String meta = metaCharset.isEmpty() ? "" : "<meta charset=\"" + metaCharset + "\">";
        String page =
                "<!DOCTYPE html>\n<html><head>"
                        + meta
                        + "<title>"
                        + phrase
                        + "</title></head>\n<body><h1>"
                        + phrase
                        + "</h1>\n"
                        + ("<p>" + phrase + "</p>\n").repeat(8)
                        + "</body></html>\n";
        String type = headerCharset.isEmpty() ? "text/html" : "text/html; charset=" + headerCharset;
        Replies.send(exchange, 200, type, page.getBytes(charset));
    }
}
