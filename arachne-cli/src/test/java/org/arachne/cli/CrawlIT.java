package org.arachne.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.arachne.item.export.Feed;
import org.arachne.sandbox.Sandbox;
import org.arachne.sandbox.SiteManifest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Crawls of a YAML spider against a small sandbox site, run in-process. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CrawlIT {
    private static Sandbox sandbox;

    @TempDir Path dir;

    @BeforeAll
    static void startSandbox() throws IOException {
        sandbox = Sandbox.builder().hosts(2).pagesPerHost(40).port(0).build().start();
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    private Path spider(List<String> startUrls) throws IOException {
        String yaml =
                CliTest.GOOD_SPIDER.replace(
                        "[\"http://127.0.0.11:1/\"]",
                        "[\"" + String.join("\", \"", startUrls) + "\"]");
        Path p = dir.resolve("books.yaml");
        Files.writeString(p, yaml, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void crawl_spiderArguments_pickTheStartUrlAndTheOutput() throws IOException {
        Path spider = dir.resolve("args.yaml");
        Files.writeString(
                spider,
                CliTest.GOOD_SPIDER
                                .replace(
                                        "[\"http://127.0.0.11:1/\"]",
                                        "['${start}']\nallowed_domains: ['${host}']")
                                .replace(
                                        "name: books\n",
                                        "name: books\narguments: {start: ~, host: ~, out: x}\n")
                        + "output: '${out}.jsonl'\n",
                StandardCharsets.UTF_8);
        Path out = dir.resolve("from-args");
        Run run =
                Run.of(
                        "crawl",
                        spider.toString(),
                        "-a",
                        "start=" + sandbox.startUrls().get(0),
                        "-a",
                        "host=" + sandbox.hosts().get(0),
                        "-a",
                        "out=" + out);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        List<Map<String, Object>> items =
                OutputFiles.readItems(Feed.of(dir.resolve("from-args.jsonl"), true));
        assertThat(items).isNotEmpty();
        assertThat(items)
                .allSatisfy(
                        item ->
                                assertThat(String.valueOf(item.get("link")))
                                        .startsWith(sandbox.startUrls().get(0)));
    }

    @Test
    void crawl_outputInTheFile_isOverwrittenOrAppendedToAsItSays() throws IOException {
        String start =
                "[\""
                        + sandbox.startUrls().get(0)
                        + "\"]\nallowed_domains: ["
                        + sandbox.hosts().get(0)
                        + "]";
        Path overwritten = dir.resolve("overwrite.yaml");
        Files.writeString(
                overwritten,
                CliTest.GOOD_SPIDER.replace("[\"http://127.0.0.11:1/\"]", start)
                        + "output: {path: '"
                        + dir.resolve("replaced.jsonl")
                        + "', overwrite: true}\n",
                StandardCharsets.UTF_8);
        Path appended = dir.resolve("append.yaml");
        Files.writeString(
                appended,
                CliTest.GOOD_SPIDER.replace("[\"http://127.0.0.11:1/\"]", start)
                        + "output: '"
                        + dir.resolve("added.jsonl")
                        + "'\n",
                StandardCharsets.UTF_8);

        for (int run = 0; run < 2; run++) {
            assertThat(Run.of("crawl", overwritten.toString()).exitCode()).isZero();
            assertThat(Run.of("crawl", appended.toString()).exitCode()).isZero();
        }

        int once = OutputFiles.readItems(Feed.of(dir.resolve("replaced.jsonl"), true)).size();
        assertThat(once).isPositive();
        assertThat(OutputFiles.readItems(Feed.of(dir.resolve("added.jsonl"), true)))
                .hasSize(2 * once);
    }

    @Test
    void crawl_yamlSpider_writesJsonLinesAndCsvMatchingTheManifest() throws IOException {
        Path jsonl = dir.resolve("out/books.jsonl");
        Path csv = dir.resolve("out/books.csv");
        Path stats = dir.resolve("stats.json");
        Path fetched = dir.resolve("fetched.txt");
        Run run =
                Run.of(
                        "crawl",
                        spider(sandbox.startUrls()).toString(),
                        "--fetched-urls",
                        fetched.toString(),
                        "-O",
                        jsonl.toString(),
                        "-O",
                        csv.toString(),
                        "--stats-json",
                        stats.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        SiteManifest manifest = sandbox.manifest();
        List<Map<String, Object>> items = OutputFiles.readItems(Feed.of(jsonl, true));
        assertThat(items).hasSize((int) manifest.itemsTotal());
        assertThat(SiteManifest.itemsHash(items)).isEqualTo(manifest.itemsMultisetHash());
        List<Map<String, Object>> rows = OutputFiles.readItems(Feed.of(csv, true));
        assertThat(SiteManifest.itemsHash(rows)).isEqualTo(manifest.itemsMultisetHash());
        assertThat(Files.readAllLines(csv, StandardCharsets.UTF_8).get(0))
                .isEqualTo("title,price,link");

        assertThat(run.err())
                .contains("crawl finished (finished)")
                .contains("items                 " + manifest.itemsTotal())
                .contains("robots.txt forbidden")
                .contains("output                " + jsonl)
                .contains("output                " + csv);
        Map<?, ?> json = new ObjectMapper().readValue(stats.toFile(), Map.class);
        assertThat(json.get("status")).isEqualTo("FINISHED");
        assertThat(((Number) json.get("items")).longValue()).isEqualTo(manifest.itemsTotal());
        assertThat(((Number) json.get("pages")).longValue())
                .isGreaterThanOrEqualTo(manifest.crawlablePages());
        assertThat(((Map<?, ?>) json.get("stats")).get("item_scraped_count")).isNotNull();
        List<String> urls = Files.readAllLines(fetched, StandardCharsets.UTF_8);
        assertThat(urls).containsExactlyInAnyOrderElementsOf(manifest.crawlableUrls());
    }

    @Test
    void crawl_appendWithLowerCaseO_addsToTheFile() throws IOException {
        Path jsonl = dir.resolve("books.jsonl");
        String start = sandbox.baseUrl(sandbox.hosts().get(0));
        Path spider = spider(List.of(start));
        String[] args = {"crawl", spider.toString(), "-o", jsonl.toString(), "-s", "depth_limit=0"};
        assertThat(Run.of(args).exitCode()).isZero();
        long once = Files.readAllLines(jsonl, StandardCharsets.UTF_8).size();
        assertThat(Run.of(args).exitCode()).isZero();
        assertThat(Files.readAllLines(jsonl, StandardCharsets.UTF_8)).hasSize((int) (2 * once));
    }

    @Test
    void failOnError_exits5WhenErrorsHappened_and0Without() throws IOException {
        String failing = sandbox.uri("/fault/status?code=500").toString();
        Path spider = spider(List.of(failing));
        Path stats = dir.resolve("stats.json");

        Run strict =
                Run.of(
                        "crawl",
                        spider.toString(),
                        "-s",
                        "retry_times=0",
                        "--fail-on-error",
                        "--stats-json",
                        stats.toString());
        assertThat(strict.exitCode()).as(strict.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(strict.err()).contains("errors                1 (");
        Map<?, ?> json = new ObjectMapper().readValue(stats.toFile(), Map.class);
        assertThat(((Number) json.get("errors")).longValue()).isEqualTo(1);

        Run lenient = Run.of("crawl", spider.toString(), "-s", "retry_times=0");
        assertThat(lenient.exitCode()).as(lenient.toString()).isZero();
    }

    @Test
    void closeCondition_endsWithExit0() throws IOException {
        Run run =
                Run.of(
                        "crawl",
                        spider(sandbox.startUrls()).toString(),
                        "-s",
                        "closespider_pagecount=3");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.err()).contains("crawl closed (closespider_pagecount)");
    }

    @Test
    void fetch_printsTheBody_andHeadersOnRequest() {
        String url = sandbox.baseUrl(sandbox.hosts().get(0));
        Run run = Run.of("fetch", url, "--headers");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out())
                .startsWith("HTTP/1.1 200\n")
                .containsIgnoringCase("Content-Type: text/html")
                .contains("<html");
        assertThat(run.err()).startsWith("200 " + url);
    }

    @Test
    void fetch_forbiddenByRobots_exits4AndSaysWhy() {
        String url = sandbox.baseUrl(sandbox.hosts().get(0)) + "private/account.html";
        Run run = Run.of("fetch", url);
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.ABORTED);
        assertThat(run.err()).contains("forbidden by robots.txt");
    }

    /** Booleans take Scrapy users' yes/no and on/off, with -s as in YAML. */
    @Test
    void fetch_forbiddenByRobots_withRobotstxtObeyNo_isFetched() {
        String url = sandbox.baseUrl(sandbox.hosts().get(0)) + "private/account.html";
        for (String obey : List.of("robotstxt_obey=no", "ROBOTSTXT_OBEY=off")) {
            Run run = Run.of("fetch", url, "-s", obey);
            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.err()).startsWith("200 " + url);
        }
    }

    /** #9: the one-request crawl said "INFO Engine - closing: finished" on stderr. */
    @Test
    void fetch_atTheDefaultLevel_logsNothingBelowWarn() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        root.addAppender(events);
        Run run;
        try {
            run = Run.of("fetch", sandbox.baseUrl(sandbox.hosts().get(0)));
        } finally {
            root.detachAppender(events);
        }
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(events.list)
                .filteredOn(e -> !e.getLevel().isGreaterOrEqual(Level.WARN))
                .isEmpty();
    }

    /** #9: a refused port was reported as "errors {robotstxt/gave_up=1, ...}". */
    @Test
    void fetch_refusedPort_namesTheConnectionFailure() throws IOException {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = closed.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port + "/";
        Run run = Run.of("fetch", url, "-s", "retry_times=0");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.ABORTED);
        assertThat(run.err())
                .contains(
                        "arachne: no response from "
                                + url
                                + ": cannot connect to 127.0.0.1:"
                                + port
                                + " (1 attempt failed)")
                .doesNotContain("robotstxt/");
    }

    /** #9: a 500 was retried, given up, and nothing was shown. */
    @Test
    void fetch_serverError_printsTheBodyWithTheStatus() {
        String url = sandbox.uri("/fault/status?code=500").toString();
        Run run = Run.of("fetch", url);
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.err()).startsWith("500 " + url);
        assertThat(run.out()).contains("Status 500");
    }

    @Test
    void parse_printsEachMatchOnItsOwnLine() {
        String url = sandbox.baseUrl(sandbox.hosts().get(0));
        Run xpath = Run.of("parse", url, "--xpath", "//article[@class='product_pod']/h3/a/@title");
        assertThat(xpath.exitCode()).as(xpath.toString()).isZero();
        List<String> titles = xpath.out().lines().toList();
        assertThat(titles).isNotEmpty().allMatch(t -> !t.isBlank());
        Run css = Run.of("parse", url, "--css", "article.product_pod h3 a::attr(title)");
        assertThat(css.out().lines().toList()).isEqualTo(titles);
    }

    @Test
    void crawl_javaSpiderFromAJar_writesTheManifestItems() throws Exception {
        String source =
                """
                package com.acme;

                import java.util.List;
                import org.arachne.http.Response;
                import org.arachne.item.Item;
                import org.arachne.select.Selection;
                import org.arachne.spider.Output;
                import org.arachne.spider.Spider;

                public class BooksSpider implements Spider {
                    public String name() { return "acme-books"; }

                    public List<String> startUrls() { return List.of(START_URLS); }

                    public void parse(Response response, Output out) {
                        for (Selection book : response.xpath("//article[@class='product_pod']").nodes()) {
                            out.item(Item.of(
                                    "title", book.xpath("h3/a/@title").get(),
                                    "price", book.css("p.price_color::text").get(),
                                    "link", response.urljoin(book.xpath("h3/a/@href").get())));
                        }
                        for (String href : response.xpath("//a/@href").getAll()) {
                            out.follow(href, this::parse);
                        }
                    }
                }
                """
                        .replace(
                                "START_URLS",
                                sandbox.startUrls().stream()
                                        .map(u -> "\"" + u + "\"")
                                        .collect(java.util.stream.Collectors.joining(", ")));
        Path src = dir.resolve("src/com/acme/BooksSpider.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, source, StandardCharsets.UTF_8);
        Path classes = dir.resolve("classes");
        javax.tools.JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
        int compiled =
                javac.run(
                        null,
                        null,
                        null,
                        "-cp",
                        System.getProperty("java.class.path"),
                        "-d",
                        classes.toString(),
                        src.toString());
        assertThat(compiled).isZero();
        Path jar = dir.resolve("acme.jar");
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new java.util.jar.JarEntry("com/acme/BooksSpider.class"));
            out.write(Files.readAllBytes(classes.resolve("com/acme/BooksSpider.class")));
            out.closeEntry();
        }
        Path csv = dir.resolve("acme.csv");

        Run run =
                Run.of(
                        "crawl",
                        "--class",
                        "com.acme.BooksSpider",
                        "-cp",
                        jar.toString(),
                        "-s",
                        "concurrent_requests=32",
                        "-O",
                        csv.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        List<Map<String, Object>> rows = OutputFiles.readItems(Feed.of(csv, true));
        assertThat(SiteManifest.itemsHash(rows)).isEqualTo(sandbox.manifest().itemsMultisetHash());
    }
}
