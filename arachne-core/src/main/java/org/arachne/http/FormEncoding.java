package org.arachne.http;

import java.net.URLEncoder;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The {@code application/x-www-form-urlencoded} text of form fields, as a browser sends a form:
 * each name and value percent-encoded in the given charset, a space as {@code +}, pairs joined by
 * {@code &} in their order.
 */
final class FormEncoding {
    static final String CONTENT_TYPE = "application/x-www-form-urlencoded";

    private FormEncoding() {}

    static String encode(List<Map.Entry<String, String>> fields, Charset charset) {
        return fields.stream()
                .map(
                        e ->
                                URLEncoder.encode(e.getKey(), charset)
                                        + "="
                                        + URLEncoder.encode(e.getValue(), charset))
                .collect(Collectors.joining("&"));
    }
}
