package org.arachne.http;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/** Finds the charset of a response body. (Placeholder until the downloader work lands.) */
public final class CharsetDetector {
    private CharsetDetector() {}

    public static Charset detect(@Nullable String contentType, byte[] body) {
        return StandardCharsets.UTF_8;
    }

    public static String decode(byte[] body, Charset charset) {
        return new String(body, charset);
    }
}
