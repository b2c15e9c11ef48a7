package org.arachne.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.arachne.select.Link;
import org.arachne.select.LinkExtractor;
import org.arachne.select.Page;
import org.arachne.select.Selection;
import org.arachne.url.Urls;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code arachne bench-parse SITE_DIR}: the parse ceiling of the end-to-end benchmark ({@code
 * bench/run}). It loads pages of a site made by the bench site generator into memory (the {@code
 * .html} files, as bytes), then on {@code --threads} threads decodes each page as UTF-8, parses it
 * once with {@link Page#parse}, extracts the items with the bench spider's XPaths and the links
 * with a default {@link LinkExtractor} — what a crawl does per page, without network, frontier,
 * politeness or output. After a warm-up it counts pages for a fixed time and prints pages per
 * second.
 *
 * <p>Hidden from the command list: it is a measuring tool, documented in {@code
 * docs/performance.md}.
 */
@Command(
        name = "bench-parse",
        hidden = true,
        mixinStandardHelpOptions = true,
        description =
                "Parse ceiling: parse a bench site's pages from memory and extract items and links,"
                        + " on N threads, and print pages/s.")
final class ParseCeilingCommand implements Callable<Integer> {
    static final String ITEM = "//article[@class='product_pod']";
    static final String TITLE = "h3/a/@title";
    static final String PRICE = ".//p[@class='price_color']/text()";
    static final String LINK = "h3/a/@href";

    @Spec CommandSpec spec;

    @Parameters(
            paramLabel = "SITE_DIR",
            description = "A site made by gen-site.py (pages.tsv and hosts/IP/...).")
    Path site;

    @Option(
            names = "--threads",
            defaultValue = "2",
            description = "Parsing threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(
            names = "--max-pages",
            defaultValue = "2000",
            description =
                    "Pages loaded into memory and cycled through (default: ${DEFAULT-VALUE}).")
    int maxPages;

    @Option(
            names = "--warmup",
            defaultValue = "5",
            description = "Warm-up seconds, not counted (default: ${DEFAULT-VALUE}).")
    double warmupSeconds;

    @Option(
            names = "--seconds",
            defaultValue = "10",
            description = "Measured seconds (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--json", description = "Print the result as one JSON object.")
    boolean json;

    record SitePage(String url, byte[] html) {}

    @Override
    public Integer call() {
        if (threads < 1 || threads > 64) {
            throw new ParameterException(spec.commandLine(), "--threads must be 1..64");
        }
        if (maxPages < 1 || seconds <= 0 || seconds > 3600 || warmupSeconds < 0) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--max-pages must be >= 1, --seconds in (0, 3600], --warmup >= 0");
        }
        List<SitePage> pages = load(site, maxPages);
        if (pages.isEmpty()) {
            throw CliException.config("no pages found in " + site);
        }
        LinkExtractor links = LinkExtractor.builder().build();
        // one pass over every loaded page first: fails fast on a site without items
        long items = 0;
        for (SitePage p : pages) {
            items += parseOne(p, links)[0];
        }
        if (items == 0) {
            throw CliException.config("no items found in the pages of " + site);
        }

        AtomicLong counted = new AtomicLong();
        AtomicLong itemCount = new AtomicLong();
        AtomicLong linkCount = new AtomicLong();
        long start = System.nanoTime();
        long measureFrom = start + (long) (warmupSeconds * 1e9);
        long measureTo = measureFrom + (long) (seconds * 1e9);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int offset = t * pages.size() / threads;
            Thread w =
                    new Thread(
                            () -> {
                                int i = offset;
                                long n = 0;
                                long it = 0;
                                long ln = 0;
                                while (true) {
                                    long now = System.nanoTime();
                                    if (now >= measureTo) {
                                        break;
                                    }
                                    long[] r = parseOne(pages.get(i), links);
                                    i = (i + 1) % pages.size();
                                    if (now >= measureFrom) {
                                        n++;
                                        it += r[0];
                                        ln += r[1];
                                    }
                                }
                                counted.addAndGet(n);
                                itemCount.addAndGet(it);
                                linkCount.addAndGet(ln);
                            },
                            "bench-parse-" + t);
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) {
            try {
                w.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ExitCodes.INTERRUPTED;
            }
        }
        double rate = counted.get() / seconds;
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(
                    String.format(
                            Locale.ROOT,
                            "{\"pages_per_second\": %.1f, \"pages\": %d, \"items\": %d,"
                                    + " \"links\": %d, \"threads\": %d, \"seconds\": %.1f,"
                                    + " \"warmup_seconds\": %.1f, \"distinct_pages\": %d}",
                            rate,
                            counted.get(),
                            itemCount.get(),
                            linkCount.get(),
                            threads,
                            seconds,
                            warmupSeconds,
                            pages.size()));
        } else {
            out.println(
                    String.format(
                            Locale.ROOT,
                            "parsed %d pages (%d items, %d links) in %.1f s on %d threads"
                                    + " after %.1f s warm-up, %d distinct pages",
                            counted.get(),
                            itemCount.get(),
                            linkCount.get(),
                            seconds,
                            threads,
                            warmupSeconds,
                            pages.size()));
            out.println(String.format(Locale.ROOT, "pages/s: %.1f", rate));
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** Parses one page and returns {items, links}. */
    static long[] parseOne(SitePage p, LinkExtractor links) {
        Page page = Page.parse(new String(p.html(), StandardCharsets.UTF_8), p.url());
        long items = 0;
        for (Selection article : page.xpath(ITEM)) {
            String title = article.xpath(TITLE).get();
            String price = article.xpath(PRICE).get();
            String href = article.xpath(LINK).get();
            @Nullable String link = href == null ? null : Urls.resolve(p.url(), href.strip());
            if (title != null && price != null && link != null) {
                items++;
            }
        }
        List<Link> found = links.extract(page);
        return new long[] {items, found.size()};
    }

    /** Up to {@code max} pages: from pages.tsv when present, else every hosts/IP/**.html. */
    static List<SitePage> load(Path site, int max) {
        List<SitePage> pages = new ArrayList<>();
        Path tsv = site.resolve("pages.tsv");
        try {
            if (Files.isRegularFile(tsv)) {
                List<String> lines = Files.readAllLines(tsv, StandardCharsets.UTF_8);
                for (int i = 1; i < lines.size() && pages.size() < max; i++) {
                    String url = lines.get(i).split("\t", 2)[0];
                    Path file = fileOf(site, url);
                    if (file != null && Files.isRegularFile(file)) {
                        pages.add(new SitePage(url, Files.readAllBytes(file)));
                    }
                }
                return pages;
            }
            Path hosts = site.resolve("hosts");
            if (!Files.isDirectory(hosts)) {
                throw CliException.config("neither pages.tsv nor hosts/ in " + site);
            }
            List<Path> files;
            try (Stream<Path> walk = Files.walk(hosts)) {
                files =
                        walk.filter(f -> f.toString().endsWith(".html"))
                                .filter(f -> !f.toString().contains("/private/"))
                                .sorted()
                                .limit(max)
                                .toList();
            }
            for (Path f : files) {
                Path rel = hosts.relativize(f);
                String host = rel.getName(0).toString();
                String path = rel.subpath(1, rel.getNameCount()).toString().replace('\\', '/');
                String url = "http://" + host + "/" + (path.equals("index.html") ? "" : path);
                pages.add(new SitePage(url, Files.readAllBytes(f)));
            }
            return pages;
        } catch (IOException e) {
            throw CliException.config("cannot read " + site + ": " + e);
        }
    }

    /** hosts/IP/PATH for http://IP:PORT/PATH ("/" is index.html), or null for another URL. */
    static @Nullable Path fileOf(Path site, String url) {
        if (!url.startsWith("http://")) {
            return null;
        }
        int slash = url.indexOf('/', "http://".length());
        String authority = url.substring("http://".length(), slash < 0 ? url.length() : slash);
        String path = slash < 0 ? "/" : url.substring(slash);
        int q = path.indexOf('?');
        if (q >= 0) {
            path = path.substring(0, q);
        }
        String host =
                authority.contains(":")
                        ? authority.substring(0, authority.indexOf(':'))
                        : authority;
        if (path.endsWith("/")) {
            path = path + "index.html";
        }
        return site.resolve("hosts").resolve(host).resolve(path.substring(1));
    }
}
