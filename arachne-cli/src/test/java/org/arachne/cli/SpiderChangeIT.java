package org.arachne.cli;

import static org.arachne.cli.ChildCrawls.assertNoStackTrace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.arachne.cli.ChildCrawls.Ended;
import org.arachne.frontier.RequestCodec;
import org.arachne.http.Request;
import org.arachne.item.export.Feed;
import org.arachne.sandbox.Sandbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job dir's spider file edited between two runs of the same command (#10), with real {@code
 * arachne crawl} processes over the sandbox: what was queued is fetched whatever the new file says,
 * and the new file's item definitions and rules decide what those pages give and lead to; a start
 * URL added is crawled, one removed keeps what it gave; nothing is fetched twice. A request queued
 * for a callback the new file no longer has fails for good without being fetched, said in lines
 * that name the callback and the file, and {@code --retry-failed} fetches it once the callback is
 * back. (A file with another spider {@code name} is refused: {@code JobDirFaultsIT}.)
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SpiderChangeIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> HOSTS = List.of("127.0.0.111", "127.0.0.112", "127.0.0.113");
    private static final int PAGES_PER_HOST = 150;
    private static final Duration RUN_LIMIT = Duration.ofSeconds(120);

    /** The deny pattern the edited file's rule adds: book pages numbered ...0 and ...5. */
    private static final String DENY = "book-\\d{4}[05]\\.html";

    private static final Predicate<String> DENIED = Pattern.compile(DENY).asPredicate();

    private static Sandbox sandbox;

    @TempDir Path dir;

    @BeforeAll
    static void startSandbox() throws IOException {
        Sandbox.Builder builder = Sandbox.builder().hosts(HOSTS).pagesPerHost(PAGES_PER_HOST);
        for (String host : HOSTS) {
            builder.latency(host, Duration.ofMillis(30)); // run 1 is stopped part-way
        }
        sandbox = builder.build().start();
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    /** The root URL of host {@code i}. */
    private static String base(int i) {
        return sandbox.baseUrl(HOSTS.get(i));
    }

    /** A URL as {@link ChildCrawls#pagesFetched} names the page: host, port and target. */
    private static String page(String url) {
        return url.substring("http://".length());
    }

    /** The spider file, the first version or the edited one. */
    private static String bookSpider(boolean edited) {
        String starts = edited ? quoted(base(1), base(2)) : quoted(base(0), base(1));
        String domains =
                edited ? String.join(", ", HOSTS) : String.join(", ", HOSTS.get(0), HOSTS.get(1));
        String rule =
                edited ? "  - follow: true\n    deny: ['" + DENY + "']\n" : "  - follow: true\n";
        String version = edited ? "v2" : "v1";
        String rating =
                edited
                        ? "      rating: {xpath: \"p[contains(@class, 'star-rating')]/text()\"}\n"
                        : "";
        return "name: books\n"
                + "start_urls: ["
                + starts
                + "]\n"
                + "allowed_domains: ["
                + domains
                + "]\n"
                + "settings:\n"
                + "  concurrent_requests: 4\n"
                + "rules:\n"
                + rule
                + "items:\n"
                + "  - each: \"//article[@class='product_pod']\"\n"
                + "    fields:\n"
                + "      title: {xpath: \"h3/a/@title\", required: true}\n"
                + "      price: {xpath: \".//p[@class='price_color']/text()\"}\n"
                + "      link: {xpath: \"h3/a/@href\", type: url}\n"
                + "      spider: {constant: "
                + version
                + "}\n"
                + rating;
    }

    private static String quoted(String... urls) {
        return "\"" + String.join("\", \"", urls) + "\"";
    }

    /**
     * The queued requests of a stopped job, by page, with their callbacks (robots.txt left out).
     */
    private static Map<String, String> queued(Path job) throws Exception {
        Map<String, String> queued = new HashMap<>();
        try (Connection c =
                        DriverManager.getConnection("jdbc:sqlite:" + job.resolve("frontier.db"));
                Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT request FROM queue")) {
            while (rows.next()) {
                Request request =
                        RequestCodec.read(
                                new DataInputStream(new ByteArrayInputStream(rows.getBytes(1))));
                if (!request.url().endsWith("/robots.txt")) {
                    queued.put(page(request.url()), request.callbackName());
                }
            }
        }
        return queued;
    }

    private static List<Map<String, Object>> lines(Path file) throws IOException {
        List<Map<String, Object>> lines = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lines.add(JSON.readValue(line, new TypeReference<Map<String, Object>>() {}));
        }
        return lines;
    }

    /** The sandbox's pages fetched after the first {@code before} of its log. */
    private static List<String> fetchedSince(int before) {
        List<String> all = ChildCrawls.pagesFetched(sandbox);
        return all.subList(before, all.size());
    }

    @Test
    void editedSpider_itsItemsAndRulesApplyToWhatWasQueued_anAddedStartIsCrawled_noPageTwice()
            throws Exception {
        sandbox.reset();
        Path spider = dir.resolve("books.yaml");
        Path jsonl = dir.resolve("books.jsonl");
        Path csv = dir.resolve("books.csv");
        Path job = dir.resolve("job");
        List<String> command =
                ChildCrawls.command(
                        "crawl",
                        spider.toString(),
                        "-o",
                        jsonl.toString(),
                        "-o",
                        csv.toString(),
                        "--job-dir",
                        job.toString());
        Files.writeString(spider, bookSpider(false), StandardCharsets.UTF_8);

        // run 1: the first file, stopped by Ctrl-C once a fifth of its two hosts was fetched
        Path firstErr = dir.resolve("first.txt");
        Process first = ChildCrawls.start(command, firstErr);
        await().atMost(RUN_LIMIT)
                .pollInterval(Duration.ofMillis(5))
                .until(
                        () ->
                                ChildCrawls.pagesFetched(sandbox).size() >= PAGES_PER_HOST * 2 / 5
                                        || !first.isAlive());
        assertThat(first.isAlive()).as("run 1 still crawls").isTrue();
        ChildCrawls.signal(first, "INT");
        Ended stopped = ChildCrawls.ended(first, firstErr, RUN_LIMIT);
        assertThat(stopped.exitCode()).as(stopped.toString()).isEqualTo(ExitCodes.INTERRUPTED);
        List<String> fetchedFirst = List.copyOf(ChildCrawls.pagesFetched(sandbox));
        Set<String> queuedFirst = queued(job).keySet();
        byte[] outputFirst = Files.readAllBytes(jsonl);
        int itemsFirst = lines(jsonl).size();
        assertThat(queuedFirst)
                .as("run 1 left pages of the start URL the edit removes, and pages it denies")
                .anyMatch(p -> p.startsWith(page(base(0))))
                .anyMatch(DENIED);

        // run 2: the same command over the edited file
        Files.writeString(spider, bookSpider(true), StandardCharsets.UTF_8);
        Ended second = ChildCrawls.run(command, dir, RUN_LIMIT);

        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertNoStackTrace(second);
        assertThat(second.stderr()).contains("resuming");
        List<String> fetchedSecond = fetchedSince(fetchedFirst.size());
        assertThat(ChildCrawls.pagesFetched(sandbox))
                .as("no page fetched twice over both runs")
                .doesNotHaveDuplicates();
        assertThat(fetchedSecond)
                .as("every request queued by run 1 fetched, whatever the edited file says of it")
                .containsAll(queuedFirst);
        assertThat(fetchedSecond.stream().filter(DENIED).toList())
                .as("no link the edited rule denies followed: each denied page was queued before")
                .isNotEmpty()
                .allMatch(queuedFirst::contains);
        Set<String> neverFetched = new HashSet<>();
        sandbox.manifest().crawlableUrls().forEach(url -> neverFetched.add(page(url)));
        neverFetched.removeAll(ChildCrawls.pagesFetched(sandbox));
        assertThat(neverFetched)
                .as("the pages never fetched are the denied ones, of all three hosts")
                .isNotEmpty()
                .allMatch(DENIED);
        System.out.printf(
                Locale.ROOT,
                "spider changed: run 1 fetched %d pages and left %d queued (%d denied by the edit),"
                        + " run 2 fetched %d (%d denied), %d pages never fetched%n",
                fetchedFirst.size(),
                queuedFirst.size(),
                queuedFirst.stream().filter(DENIED).count(),
                fetchedSecond.size(),
                fetchedSecond.stream().filter(DENIED).count(),
                neverFetched.size());
        assertThat(fetchedFirst).as("the added start URL").doesNotContain(page(base(2)));
        assertThat(fetchedSecond).as("the added start URL").contains(page(base(2)));
        assertThat(fetchedFirst).as("the removed start URL").contains(page(base(0)));

        // what run 1 wrote stays; run 2's items, those of pages run 1 queued included, are v2's
        assertThat(Files.readAllBytes(jsonl)).startsWith(outputFirst);
        List<Map<String, Object>> items = lines(jsonl);
        assertThat(items.subList(0, itemsFirst))
                .isNotEmpty()
                .allSatisfy(
                        item -> {
                            assertThat(item).containsEntry("spider", "v1");
                            assertThat(item).doesNotContainKey("rating");
                        });
        assertThat(items.subList(itemsFirst, items.size()))
                .isNotEmpty()
                .allSatisfy(
                        item -> {
                            assertThat(item).containsEntry("spider", "v2");
                            assertThat((String) item.get("rating")).startsWith("Rated ");
                        });
        // a CSV file keeps the header run 1 wrote: the added field has no column, and is said so
        assertThat(Files.readAllLines(csv, StandardCharsets.UTF_8).get(0))
                .isEqualTo("title,price,link,spider");
        List<Map<String, Object>> rows = OutputFiles.readItems(Feed.of(csv, false));
        assertThat(rows)
                .extracting(row -> row.get("spider"))
                .containsExactlyElementsOf(items.stream().map(item -> item.get("spider")).toList());
        assertThat(second.stderr())
                .contains(csv + " has no place for field 'rating'")
                .contains("it goes on with the header it had, [title, price, link, spider]");
    }

    /** A spider of host 0's sitemap whose book pages go to the item block {@code block}. */
    private static String sitemapSpider(String block) {
        return "name: books\n"
                + "sitemap_urls: [\""
                + base(0)
                + "sitemap.xml\"]\n"
                + "allowed_domains: ["
                + HOSTS.get(0)
                + "]\n"
                + "settings:\n"
                + "  concurrent_requests: 2\n"
                + "sitemap_rules:\n"
                + "  - {regex: /catalogue/, callback: "
                + block
                + "}\n"
                + "items:\n"
                + "  - name: "
                + block
                + "\n"
                + "    each: \"//article[@class='product_pod']\"\n"
                + "    fields:\n"
                + "      title: {xpath: \"h3/a/@title\", required: true}\n";
    }

    @Test
    void editedSpiderWithoutACallbackOfQueuedRequests_failsThemUnfetched_andRetryFailedGetsThem()
            throws Exception {
        sandbox.reset();
        Path spider = dir.resolve("books.yaml");
        Path job = dir.resolve("job");
        Path out = dir.resolve("books.jsonl");
        List<String> crawl =
                List.of(
                        "crawl",
                        spider.toString(),
                        "-o",
                        out.toString(),
                        "--job-dir",
                        job.toString());
        Files.writeString(spider, sitemapSpider("book"), StandardCharsets.UTF_8);
        List<String> closedEarly = new ArrayList<>(crawl);
        closedEarly.addAll(List.of("-s", "closespider_pagecount=20"));
        Ended first =
                ChildCrawls.run(
                        ChildCrawls.command(closedEarly.toArray(String[]::new)), dir, RUN_LIMIT);
        assertThat(first.exitCode()).as(first.toString()).isZero();
        Map<String, String> queuedFirst = queued(job);
        assertThat(queuedFirst).isNotEmpty();
        assertThat(Set.copyOf(queuedFirst.values())).containsExactly("book");
        int fetchedFirst = ChildCrawls.pagesFetched(sandbox).size();

        // the block, and the rule's callback with it, renamed
        Files.writeString(spider, sitemapSpider("product"), StandardCharsets.UTF_8);
        Ended renamed =
                ChildCrawls.run(ChildCrawls.command(crawl.toArray(String[]::new)), dir, RUN_LIMIT);

        assertThat(renamed.exitCode()).as(renamed.toString()).isZero();
        assertNoStackTrace(renamed);
        assertThat(fetchedSince(fetchedFirst)).as("requests whose callback is gone").isEmpty();
        assertThat(renamed.stderr())
                .contains("the spider 'books' has no callback 'book'")
                .contains(
                        "  missing callbacks     book ("
                                + queuedFirst.size()
                                + " requests): not in "
                                + spider
                                + "; failed for good without being fetched (put them back and"
                                + " run again with --retry-failed)\n");
        List<Map<String, Object>> letters = lines(job.resolve("failed.jsonl"));
        assertThat(letters)
                .hasSize(queuedFirst.size())
                .allSatisfy(
                        letter ->
                                assertThat((String) letter.get("reason"))
                                        .isEqualTo(
                                                "callback_missing/book: the spider 'books' has no"
                                                        + " callback 'book'"));
        assertThat(letters)
                .extracting(letter -> page((String) letter.get("url")))
                .containsExactlyInAnyOrderElementsOf(queuedFirst.keySet());

        // the callback back: --retry-failed fetches them, each once
        Files.writeString(spider, sitemapSpider("book"), StandardCharsets.UTF_8);
        List<String> retry = new ArrayList<>(crawl);
        retry.add("--retry-failed");
        int fetchedBefore = ChildCrawls.pagesFetched(sandbox).size();
        Ended restored =
                ChildCrawls.run(ChildCrawls.command(retry.toArray(String[]::new)), dir, RUN_LIMIT);

        assertThat(restored.exitCode()).as(restored.toString()).isZero();
        assertThat(restored.stderr()).doesNotContain("missing callbacks");
        assertThat(fetchedSince(fetchedBefore))
                .containsExactlyInAnyOrderElementsOf(queuedFirst.keySet());
        assertThat(ChildCrawls.pagesFetched(sandbox)).doesNotHaveDuplicates();
        assertThat(Files.readString(job.resolve("failed.jsonl"), StandardCharsets.UTF_8)).isEmpty();
    }
}
