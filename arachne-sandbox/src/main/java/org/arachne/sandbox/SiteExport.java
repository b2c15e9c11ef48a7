package org.arachne.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Writes the sandbox's generated book site as static files in the layout of the shared bench site
 * ({@code gen-site.py}), so the end-to-end benchmark ({@code bench/run --own-site}) can run without
 * {@code ../shared}:
 *
 * <pre>
 * java -cp arachne.jar org.arachne.sandbox.SiteExport --out DIR [--hosts 8] [--pages 20000]
 *     [--port 8080] [--seed 1] [--precompress]
 * </pre>
 *
 * <p>It writes {@code hosts/IP/} (index.html, catalogue/book-NNNNN.html, private/..., robots.txt,
 * sitemap.xml; with {@code --precompress} also NAME.html.gz for nginx's {@code gzip_static}),
 * {@code manifest.json} (the fields {@code serve.sh}, {@code check-output.py} and {@code bench/run}
 * read), {@code pages.tsv} (url, title, price, item occurrences) and {@code start-urls.txt}. The
 * pages are those the sandbox serves, not gen-site.py's: same shape, different content.
 */
public final class SiteExport {
    private SiteExport() {}

    /** Exports the site; exit status 2 on a usage error. */
    @SuppressForbidden(reason = "a command-line main prints to the console and exits")
    public static void main(String[] args) throws IOException {
        Path out = null;
        int hosts = 8;
        int pages = 20000;
        int port = 8080;
        long seed = 1;
        boolean precompress = false;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--out" -> out = Path.of(args[++i]);
                    case "--hosts" -> hosts = Integer.parseInt(args[++i]);
                    case "--pages" -> pages = Integer.parseInt(args[++i]);
                    case "--port" -> port = Integer.parseInt(args[++i]);
                    case "--seed" -> seed = Long.parseLong(args[++i]);
                    case "--precompress" -> precompress = true;
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (out == null) {
                throw new IllegalArgumentException("--out DIR is required");
            }
            if (hosts < 1 || hosts > 200 || pages % hosts != 0 || pages / hosts < 2) {
                throw new IllegalArgumentException(
                        "--hosts 1..200 and --pages a multiple of hosts, at least 2 per host");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("--port 1..65535");
            }
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            System.err.println("SiteExport: " + e.getMessage());
            System.err.println(
                    "usage: SiteExport --out DIR [--hosts 8] [--pages 20000] [--port 8080]"
                            + " [--seed 1] [--precompress]");
            System.exit(2);
            return;
        }
        long started = System.nanoTime();
        export(out, hosts, pages, port, seed, precompress, System.out);
        System.out.printf(
                Locale.ROOT, "generated in %.1f s%n", (System.nanoTime() - started) / 1e9);
    }

    /** Writes the site into {@code out}; prints a short summary on {@code log}. */
    static void export(
            Path out,
            int hosts,
            int pages,
            int port,
            long seed,
            boolean precompress,
            PrintStream log)
            throws IOException {
        List<String> ips = new ArrayList<>();
        List<String> bases = new ArrayList<>();
        for (int h = 0; h < hosts; h++) {
            ips.add("127.0.0." + (11 + h));
            bases.add("http://" + ips.get(h) + ":" + port);
        }
        int perHost = pages / hosts;
        BookSite site = new BookSite(bases, perHost, seed);
        List<String> startUrls = bases.stream().map(b -> b + "/").toList();
        SiteManifest manifest = SiteManifest.of(site, startUrls);

        Map<String, Integer> occurrences = new HashMap<>();
        long htmlBytes = 0;
        for (int h = 0; h < hosts; h++) {
            Path root = out.resolve("hosts").resolve(ips.get(h));
            for (int j = 0; j < perHost; j++) {
                String path = BookSite.pagePath(j);
                htmlBytes +=
                        write(
                                root,
                                path.equals("/") ? "/index.html" : path,
                                site,
                                h,
                                path,
                                precompress);
                for (BookSite.Item item : site.items(h, j)) {
                    occurrences.merge(item.link(), 1, Integer::sum);
                }
            }
            write(root, "/private/account.html", site, h, "/private/account.html", precompress);
            for (int k = 1; k < BookSite.PRIVATE_PAGES; k++) {
                String p = "/private/orders-" + k + ".html";
                write(root, p, site, h, p, precompress);
            }
            write(root, "/robots.txt", site, h, "/robots.txt", false);
            write(root, "/sitemap.xml", site, h, "/sitemap.xml", false);
        }

        try (Writer w = Files.newBufferedWriter(out.resolve("pages.tsv"), StandardCharsets.UTF_8)) {
            w.write("url\ttitle\tprice\titem_occurrences\n");
            for (int h = 0; h < hosts; h++) {
                for (int j = 0; j < perHost; j++) {
                    String url = site.url(h, j);
                    BookSite.Book b = site.book(h, j);
                    w.write(
                            url
                                    + "\t"
                                    + b.title()
                                    + "\t"
                                    + b.price()
                                    + "\t"
                                    + occurrences.getOrDefault(url, 0)
                                    + "\n");
                }
            }
        }
        Files.writeString(
                out.resolve("start-urls.txt"),
                String.join("\n", startUrls) + "\n",
                StandardCharsets.UTF_8);

        Map<String, Object> params = new LinkedHashMap<>();
        params.put("hosts", hosts);
        params.put("pages", pages);
        params.put("port", port);
        params.put("seed", seed);
        params.put("precompress", precompress);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("generator", "org.arachne.sandbox.SiteExport");
        m.put("params", params);
        m.put("hosts", ips);
        m.put("start_urls", startUrls);
        m.put("pages_per_host", perHost);
        m.put("crawlable_pages", manifest.crawlablePages());
        m.put("robots_txt_files", manifest.robotsTxtFiles());
        m.put("expected_requests", manifest.crawlablePages() + manifest.robotsTxtFiles());
        m.put("private_pages_per_host", BookSite.PRIVATE_PAGES);
        m.put("private_pages_total", manifest.privatePages());
        m.put("disallowed_prefix", "/private/");
        m.put("items_total", manifest.itemsTotal());
        m.put("items_distinct_links", occurrences.size());
        m.put("items_multiset_hash", manifest.itemsMultisetHashHex());
        m.put("html_bytes_total", htmlBytes);
        Map<String, String> xpaths = new LinkedHashMap<>();
        xpaths.put("item", "//article[@class='product_pod']");
        xpaths.put("title", "h3/a/@title");
        xpaths.put("price", ".//p[@class='price_color']/text()");
        xpaths.put("link", "h3/a/@href (resolve against the page URL)");
        m.put("item_xpath", xpaths);
        Files.writeString(
                out.resolve("manifest.json"),
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m)
                        + "\n",
                StandardCharsets.UTF_8);
        log.printf(
                Locale.ROOT,
                "crawlable pages: %d  (+%d robots.txt, %d private pages disallowed)%n",
                manifest.crawlablePages(),
                manifest.robotsTxtFiles(),
                manifest.privatePages());
        log.printf(
                Locale.ROOT,
                "items: %d  multiset hash %s%n",
                manifest.itemsTotal(),
                manifest.itemsMultisetHashHex());
    }

    /** Writes the body the sandbox serves at {@code path} to {@code root + file}; its length. */
    private static long write(
            Path root, String file, BookSite site, int host, String path, boolean precompress)
            throws IOException {
        BookSite.Resource r = site.resolve(host, path);
        if (r == null) {
            throw new IllegalStateException("the sandbox serves nothing at " + path);
        }
        Path target = root.resolve(file.substring(1));
        Files.createDirectories(target.getParent());
        Files.write(target, r.body());
        if (precompress) {
            Path gz = target.resolveSibling(target.getFileName() + ".gz");
            try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
                o.write(r.body());
            }
        }
        return r.body().length;
    }
}
