package org.arachne.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.arachne.engine.CrawlResult;
import org.arachne.engine.Crawler;
import org.arachne.item.export.Feed;
import org.arachne.sandbox.Sandbox;
import org.arachne.sandbox.SiteManifest;
import org.arachne.spider.yaml.DeclarativeSpider;
import org.arachne.spider.yaml.SpiderFileException;
import org.arachne.spider.yaml.YamlSpiders;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code arachne demo}: starts the local sandbox site (four hosts on 127.0.0.11-14, a random free
 * port), crawls it with the bundled {@code examples/books.yaml} spider, writes the items, and
 * checks them against the sandbox's manifest (item count and order-independent hash). Needs nothing
 * but the jar.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Crawl a local sandbox site with the bundled books.yaml and check the items.")
final class DemoCommand implements Callable<Integer> {
    static final String SPIDER_RESOURCE = "examples/books.yaml";
    static final int HOSTS = 4;
    static final int DEFAULT_PAGES_PER_HOST = 300;

    @Spec CommandSpec spec;

    @Mixin CommonOptions common;

    @Option(
            names = "-O",
            paramLabel = "FILE",
            description = "Where to write the items, overwriting (default: ${DEFAULT-VALUE}).")
    Path output = Path.of("demo-output", "books.jsonl");

    @Option(
            names = "--pages",
            paramLabel = "N",
            description = "Pages per sandbox host (default: ${DEFAULT-VALUE}).")
    int pagesPerHost = DEFAULT_PAGES_PER_HOST;

    @Override
    public Integer call() {
        Map<String, String> settings = common.checkedSettings();
        Feed feed = OutputOptions.feed(output, true);
        if (pagesPerHost < 2) {
            throw CliException.config("--pages: at least 2, got " + pagesPerHost);
        }
        OutputPaths.checkWritable(output, "output");
        DeclarativeSpider spider = bundledSpider();
        PrintWriter err = spec.commandLine().getErr();
        try (Sandbox sandbox =
                Sandbox.builder().hosts(HOSTS).pagesPerHost(pagesPerHost).port(0).build().start()) {
            err.printf(
                    Locale.ROOT,
                    "sandbox: %d hosts x %d pages at %s\n",
                    HOSTS,
                    pagesPerHost,
                    String.join(" ", sandbox.startUrls()));
            err.println("crawling with the bundled " + SPIDER_RESOURCE + " (Ctrl-C stops)");
            err.flush();
            Crawler crawler =
                    CrawlSession.build(
                            spider.withStartUrls(sandbox.startUrls()), settings, List.of(feed));
            common.applyLogLevel(crawler.settings());
            CrawlSession session = new CrawlSession(err, Progress.stderrIsTerminal());
            CrawlResult result =
                    session.run(crawler, "the bundled " + SPIDER_RESOURCE, List.of(feed), null);
            if (result.status() != CrawlResult.Status.FINISHED) {
                err.println("the crawl did not finish, so the output is not checked");
                err.flush();
                int code = session.exitCode(result, false);
                return code == ExitCodes.OK ? ExitCodes.FAILED : code;
            }
            boolean matches = check(feed, sandbox.manifest(), err);
            err.println("items are in " + feed.path().toAbsolutePath().normalize());
            err.flush();
            return matches ? ExitCodes.OK : ExitCodes.FAILED;
        } catch (IOException e) {
            throw new CliException(ExitCodes.ABORTED, "cannot start the sandbox: " + e, e);
        }
    }

    private static DeclarativeSpider bundledSpider() {
        try (InputStream in =
                DemoCommand.class.getClassLoader().getResourceAsStream(SPIDER_RESOURCE)) {
            if (in == null) {
                throw new CliException(
                        ExitCodes.INTERNAL, SPIDER_RESOURCE + " is missing from the arachne jar");
            }
            String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new DeclarativeSpider(YamlSpiders.parse(yaml, SPIDER_RESOURCE));
        } catch (IOException | SpiderFileException e) {
            throw new CliException(
                    ExitCodes.INTERNAL, "the bundled " + SPIDER_RESOURCE + " is broken: " + e, e);
        }
    }

    /** Compares the items in the feed with the manifest and says what matches or differs. */
    static boolean check(Feed feed, SiteManifest manifest, PrintWriter err) {
        List<Map<String, Object>> items;
        long hash;
        try {
            items = OutputFiles.readItems(feed);
            hash = SiteManifest.itemsHash(items);
        } catch (IOException | IllegalArgumentException e) {
            err.println("output differs from the sandbox manifest: cannot read the items: " + e);
            return false;
        }
        if (items.size() == manifest.itemsTotal() && hash == manifest.itemsMultisetHash()) {
            err.println("output matches the sandbox manifest: " + items.size() + " items");
            return true;
        }
        err.printf(
                Locale.ROOT,
                "output differs from the sandbox manifest: %d items (expected %d), items hash %016x"
                        + " (expected %s)\n",
                items.size(),
                manifest.itemsTotal(),
                hash,
                manifest.itemsMultisetHashHex());
        return false;
    }
}
