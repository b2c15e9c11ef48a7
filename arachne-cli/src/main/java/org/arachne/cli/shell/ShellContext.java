package org.arachne.cli.shell;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;
import org.arachne.http.Response;
import org.arachne.spider.Spider;
import org.jspecify.annotations.Nullable;

/**
 * What the snippets of {@code arachne shell} reach: the page it loaded, a way to load another with
 * the shell's settings, and the spider it was given. Snippets run in the shell's own JVM (JShell's
 * local execution) but compiled apart from it, so a class with static methods is the one bridge
 * they can name; the shell's start-up snippets wrap it in {@code response}, {@code fetch(url)},
 * {@code xpath(..)}, {@code css(..)} and {@code view(..)} (see {@link ShellSnippets}).
 *
 * <p>Thread-safety: one shell per JVM at a time; {@link #open} replaces the previous one's state.
 */
public final class ShellContext {
    /** The state of the open shell. */
    private record Session(
            Function<String, Response> loader, @Nullable Response first, @Nullable Spider spider) {}

    private static volatile @Nullable Session session;

    private ShellContext() {}

    /**
     * Opens a shell's state: {@code loader} loads a URL or a local file as the shell's settings
     * say, {@code first} is the page loaded at start (null for none).
     */
    static void open(
            Function<String, Response> loader, @Nullable Response first, @Nullable Spider spider) {
        session = new Session(loader, first, spider);
    }

    private static Session session() {
        Session current = session;
        if (current == null) {
            throw new IllegalStateException("no arachne shell is open");
        }
        return current;
    }

    /** The page the shell loaded at start, or null when it was started without one. */
    public static @Nullable Response response() {
        return session().first();
    }

    /** The spider of {@code --spider} or {@code --class}, or null. */
    public static @Nullable Spider spider() {
        return session().spider();
    }

    /**
     * Loads a URL (fetched as a crawl with the shell's settings would) or a local file (a path or a
     * {@code file:} URL).
     *
     * @throws RuntimeException saying why, when nothing could be loaded
     */
    public static Response fetch(String urlOrFile) {
        return session().loader().apply(Objects.requireNonNull(urlOrFile, "url"));
    }

    /**
     * {@code response}, or an {@link IllegalStateException} saying how to get one when it is null.
     */
    public static Response require(@Nullable Response response) {
        if (response == null) {
            throw new IllegalStateException(
                    "no page loaded: fetch(\"http://...\") or fetch(\"page.html\") first");
        }
        return response;
    }

    /**
     * Writes the page to a temporary file and opens it with the desktop's opener when there is one
     * (and a display); returns the file either way.
     */
    public static Path view(Response response) {
        try {
            return PageViewer.view(require(response));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the page to a temporary file", e);
        }
    }
}
