package org.arachne.cli.shell;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.arachne.http.Response;

/**
 * The shell's {@code view(response)}: the page as a temporary file, with a {@code <base>} so that
 * its relative links, styles and images load from its site (Scrapy's {@code open_in_browser}),
 * opened with {@code xdg-open} (macOS: {@code open}) when the machine has a display.
 */
final class PageViewer {
    private static final Pattern HEAD = Pattern.compile("<head\\b[^>]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern BASE = Pattern.compile("<base\\b", Pattern.CASE_INSENSITIVE);

    private PageViewer() {}

    static Path view(Response response) throws IOException {
        String type = String.valueOf(response.contentType()).toLowerCase(Locale.ROOT);
        boolean html = response.contentType() == null || type.contains("html");
        String suffix = html ? ".html" : type.contains("json") ? ".json" : ".txt";
        Path file = Files.createTempFile("arachne-view-", suffix);
        if (html) {
            Files.writeString(file, withBase(response.text(), response.url()), response.charset());
        } else {
            Files.write(file, response.body().toByteArray());
        }
        Optional<String> opener = opener(System.getenv());
        if (opener.isPresent()) {
            new ProcessBuilder(opener.get(), file.toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        }
        return file;
    }

    /**
     * The page with a {@code <base href>} of its URL at the start of its head, unless it has one.
     */
    static String withBase(String html, String url) {
        if (BASE.matcher(html).find()) {
            return html;
        }
        String base = "<base href=\"" + url.replace("\"", "&quot;") + "\">";
        Matcher head = HEAD.matcher(html);
        if (head.find()) {
            return html.substring(0, head.end()) + base + html.substring(head.end());
        }
        return base + html;
    }

    /**
     * The desktop's opener, when there is a display to open on and the opener is on the {@code
     * PATH}: {@code open} on macOS, else {@code xdg-open} with {@code DISPLAY} or {@code
     * WAYLAND_DISPLAY} set.
     */
    static Optional<String> opener(Map<String, String> env) {
        boolean mac = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("mac");
        boolean display =
                mac
                        || !env.getOrDefault("DISPLAY", "").isEmpty()
                        || !env.getOrDefault("WAYLAND_DISPLAY", "").isEmpty();
        String command = mac ? "open" : "xdg-open";
        if (!display) {
            return Optional.empty();
        }
        for (String dir : env.getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return Optional.of(command);
            }
        }
        return Optional.empty();
    }
}
