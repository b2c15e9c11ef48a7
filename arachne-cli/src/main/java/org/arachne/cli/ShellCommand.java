package org.arachne.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.arachne.cli.shell.Shell;
import org.arachne.engine.Settings;
import org.arachne.http.Body;
import org.arachne.http.Headers;
import org.arachne.http.Request;
import org.arachne.http.Response;
import org.arachne.spider.Spider;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code arachne shell [URL | FILE]}: JShell with Arachne on its class path and a page loaded, to
 * try selectors on it (Scrapy's {@code shell}). On a terminal it is JShell's interactive tool; with
 * stdin not a terminal it evaluates the snippets read from stdin, prints each value or error, and
 * exits 0 when all of them ran, 5 when one failed (see {@link Shell}).
 */
@Command(
        name = "shell",
        mixinStandardHelpOptions = true,
        description = {
            "An interactive Java shell (JShell) with a page loaded, to try selectors:",
            "response, fetch(url), xpath(expr), css(query), view(response).",
            "Without a terminal, reads snippets from stdin and prints their values."
        })
final class ShellCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin CommonOptions common;

    @Mixin SpiderArgumentOptions arguments;

    @Parameters(
            arity = "0..1",
            paramLabel = "URL|FILE",
            description = "The page to load: a URL, a local file or a file: URL.")
    @Nullable String target;

    @ArgGroup Source source;

    static final class Source {
        @Option(
                names = "--spider",
                paramLabel = "FILE",
                description = "A YAML spider whose settings (user agent, headers...) fetch with.")
        @Nullable Path spider;

        @Option(
                names = "--class",
                paramLabel = "CLASS",
                description = "A Java spider class (as crawl --class) whose settings fetch with.")
        @Nullable String className;
    }

    @Option(
            names = {"-cp", "--classpath"},
            paramLabel = "PATH",
            description = "Jars or folders to load --class from, separated by the path separator.")
    String classPath = "";

    @Override
    public Integer call() throws Exception {
        if (ModuleLayer.boot().findModule("jdk.jshell").isEmpty()) {
            throw new CliException(
                    ExitCodes.ABORTED,
                    "the shell needs the JDK's jdk.jshell module, which the Java runtime in "
                            + System.getProperty("java.home")
                            + " lacks: run arachne with a full JDK 21+ (set JAVA_HOME to it)");
        }
        Map<String, String> settings = common.checkedSettings();
        Spider spider = spider();
        Map<String, ?> spiderSettings = spider == null ? Map.of() : spider.settings();
        try {
            common.applyLogLevel(Settings.defaults().with(spiderSettings).with(settings), "warn");
        } catch (IllegalArgumentException e) {
            throw CliException.config(e.getMessage());
        }
        Response first = target == null ? null : load(target, settings, spider);
        Shell shell =
                new Shell(
                        urlOrFile -> load(urlOrFile, settings, spider),
                        first,
                        spider,
                        System.getProperty("java.class.path"));
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (stdinIsTerminal()) {
            out.println("arachne shell (JShell): Arachne's packages are imported; you have");
            Shell.banner().forEach(line -> out.println("  " + line));
            if (first != null) {
                out.println("response: " + first.status() + " " + first.url());
            }
            out.flush();
            return shell.interactive();
        }
        BufferedReader in =
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        return shell.script(in, out, err) ? ExitCodes.OK : ExitCodes.FAILED;
    }

    /** The spider of {@code --spider} or {@code --class}, or null. */
    private @Nullable Spider spider() {
        if (source == null) {
            if (!arguments.arguments.isEmpty()) {
                throw CliException.config("-a: arguments are for a YAML spider (--spider FILE)");
            }
            return null;
        }
        CrawlCommand.Source spiderSource = new CrawlCommand.Source();
        spiderSource.yaml = source.spider;
        spiderSource.className = source.className;
        return Spiders.load(spiderSource, arguments.arguments, classPath).spider();
    }

    /**
     * A page: a local file (a path that exists, or a {@code file:} URL), else a URL fetched as a
     * crawl of the spider would (its settings under the {@code -s} ones, its login first).
     *
     * @throws CliException when the file cannot be read or the URL gives no response
     */
    static Response load(String target, Map<String, String> settings, @Nullable Spider spider) {
        Path file = localFile(target);
        if (file == null) {
            return Fetcher.fetch(target, settings, spider);
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw CliException.config("cannot read " + file + ": " + OutputPaths.reason(e));
        }
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        String type =
                name.toLowerCase(Locale.ROOT).endsWith(".json")
                        ? "application/json"
                        : name.toLowerCase(Locale.ROOT).endsWith(".xml")
                                ? "application/xml"
                                : "text/html";
        // requests are http(s) or data: URLs; the response keeps the file's own URL
        return new Response(
                Request.get("data:,"),
                file.toAbsolutePath().toUri().toString(),
                200,
                Headers.of("Content-Type", type),
                Body.wrap(bytes),
                Duration.ZERO,
                "file");
    }

    /** The local file {@code target} names (a {@code file:} URL or a path that exists), or null. */
    private static @Nullable Path localFile(String target) {
        if (target.regionMatches(true, 0, "file:", 0, 5)) {
            try {
                return Path.of(URI.create(target));
            } catch (IllegalArgumentException e) {
                throw CliException.config("bad file URL '" + target + "': " + e.getMessage());
            }
        }
        if (target.contains("://")) {
            return null;
        }
        try {
            Path path = Path.of(target);
            return Files.isRegularFile(path) ? path : null;
        } catch (InvalidPathException e) {
            return null;
        }
    }

    /**
     * Whether stdin is a terminal: on Linux, what {@code /proc/self/fd/0} names (see {@link
     * Progress#isTerminalDevice}); elsewhere, whether there is a console.
     */
    private static boolean stdinIsTerminal() {
        try {
            return Progress.isTerminalDevice(
                    Files.readSymbolicLink(Path.of("/proc/self/fd/0")).toString());
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }
}
