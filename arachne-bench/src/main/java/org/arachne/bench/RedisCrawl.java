package org.arachne.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisURI;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arachne.engine.CrawlResult;
import org.arachne.engine.Crawler;
import org.arachne.frontier.CommittedItems;
import org.arachne.frontier.Ending;
import org.arachne.frontier.Frontier;
import org.arachne.frontier.FrontierSetup;
import org.arachne.frontier.ItemOutbox;
import org.arachne.frontier.Lease;
import org.arachne.frontier.Opening;
import org.arachne.frontier.RobotsTxtRecord;
import org.arachne.frontier.RobotsTxtStore;
import org.arachne.http.Request;
import org.arachne.http.Response;
import org.arachne.item.Item;
import org.arachne.politeness.SlotSignals;
import org.arachne.redis.RedisFrontier;
import org.arachne.redis.RedisFrontierOptions;
import org.arachne.select.Link;
import org.arachne.select.LinkExtractor;
import org.arachne.select.Selection;
import org.arachne.spider.Output;
import org.arachne.spider.Spider;
import org.jspecify.annotations.Nullable;

/**
 * One worker of a crawl of the bench site on the Redis frontier, or the export of its items: what
 * {@code bench/redis} runs in each process to measure pages/s with several workers and the Redis
 * cost per page (#11). Until the CLI's {@code arachne worker} and {@code arachne export} exist this
 * is how workers are driven; the spider is the bench spider ({@code bench/run}'s bench.yaml) in
 * Java.
 *
 * <ul>
 *   <li>{@code worker REDIS_URL CRAWL SITE_DIR WORKER FETCHED_FILE STATS_FILE [PARTITIONS]}: the
 *       crawl made with PARTITIONS partitions (default 1) if this worker makes it; crawls with 64
 *       concurrent requests, 16 per host, robots.txt obeyed; the items go to the crawl's Redis
 *       stream and nowhere else (no feed of its own, so no worker reads another's items); writes
 *       the URLs it fetched and its stats as JSON.
 *   <li>{@code export REDIS_URL CRAWL OUT_FILE}: reads every item batch from the stream in order,
 *       writes the items as JSON Lines and acknowledges them; prints how many.
 * </ul>
 */
public final class RedisCrawl {
    private RedisCrawl() {}

    public static void main(String[] args) throws Exception {
        if ((args.length == 7 || args.length == 8) && args[0].equals("worker")) {
            int partitions = args.length == 8 ? Integer.parseInt(args[7]) : 1;
            worker(
                    args[1],
                    args[2],
                    Path.of(args[3]),
                    args[4],
                    Path.of(args[5]),
                    Path.of(args[6]),
                    partitions);
        } else if (args.length == 4 && args[0].equals("export")) {
            export(args[1], args[2], Path.of(args[3]));
        } else {
            System.err.println(
                    "usage: RedisCrawl worker REDIS_URL CRAWL SITE_DIR WORKER FETCHED STATS"
                            + " [PARTITIONS]\n"
                            + "       RedisCrawl export REDIS_URL CRAWL OUT.jsonl");
            System.exit(2);
        }
    }

    private static void worker(
            String redis,
            String crawl,
            Path site,
            String worker,
            Path fetched,
            Path statsFile,
            int partitions)
            throws IOException {
        List<String> startUrls =
                Files.readAllLines(site.resolve("start-urls.txt"), StandardCharsets.UTF_8).stream()
                        .filter(line -> !line.isBlank())
                        .toList();
        List<RedisURI> seeds = RedisFrontier.seeds(redis);
        RedisFrontierOptions options =
                RedisFrontierOptions.defaults().withWorker(worker).withPartitions(partitions);
        long start = System.nanoTime();
        CrawlResult result =
                Crawler.builder(new BenchSpider(crawl, startUrls))
                        .settings(
                                Map.of(
                                        "concurrent_requests", 64,
                                        "concurrent_requests_per_domain", 16,
                                        "robotstxt_obey", true))
                        .frontier(
                                setup ->
                                        new ItemsStayInRedis(
                                                RedisFrontier.open(seeds, setup, options)))
                        .fetchedUrls(fetched)
                        .build()
                        .run();
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("worker", worker);
        report.put("status", result.status().name());
        report.put("seconds", (System.nanoTime() - start) / 1e9);
        report.put("stats", result.stats());
        new ObjectMapper().writeValue(statsFile.toFile(), report);
        if (result.status() != CrawlResult.Status.FINISHED) {
            System.err.println(worker + ": the crawl ended " + result.status());
            System.exit(1);
        }
    }

    private static void export(String redis, String crawl, Path out) throws IOException {
        ObjectMapper json = new ObjectMapper();
        long batches = 0;
        long items = 0;
        long start = System.nanoTime();
        try (Frontier frontier =
                        RedisFrontier.open(
                                RedisFrontier.seeds(redis),
                                FrontierSetup.plainQueue().withCrawl(crawl),
                                RedisFrontierOptions.defaults().withWorker("export"));
                BufferedWriter writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            ItemOutbox outbox = frontier.outbox();
            while (true) {
                List<CommittedItems> read;
                try {
                    read = outbox.poll(256, Duration.ZERO);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
                if (read.isEmpty()) {
                    break;
                }
                for (CommittedItems batch : read) {
                    for (Item item : batch.items()) {
                        writer.write(json.writeValueAsString(item.fields()));
                        writer.write('\n');
                        items++;
                    }
                }
                writer.flush();
                outbox.acknowledge(read.getLast().sequence());
                batches += read.size();
            }
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("batches", batches);
            report.put("items", items);
            report.put("seconds", (System.nanoTime() - start) / 1e9);
            report.put("stats", frontier.stats());
            System.out.println(json.writeValueAsString(report));
        }
    }

    /** The bench spider: every link followed, one item per book of a page. */
    private static final class BenchSpider implements Spider {
        private static final LinkExtractor LINKS = LinkExtractor.builder().build();
        private final String name;
        private final List<String> startUrls;

        BenchSpider(String name, List<String> startUrls) {
            this.name = name;
            this.startUrls = startUrls;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public List<String> startUrls() {
            return startUrls;
        }

        @Override
        public void parse(Response response, Output out) {
            for (Selection book :
                    response.page().xpath("//article[@class='product_pod']").nodes()) {
                String href = book.xpath("h3/a/@href").get();
                out.item(
                        Item.of(
                                "title", book.xpath("h3/a/@title").get(),
                                "price", book.xpath(".//p[@class='price_color']/text()").get(),
                                "link", href == null ? null : response.urljoin(href)));
            }
            for (Link link : LINKS.extract(response.page())) {
                out.follow(link.url());
            }
        }
    }

    /**
     * The Redis frontier with an outbox that gives nothing: the items stay in the crawl's stream
     * for {@code export}, so several workers never read one another's batches. It keeps the
     * frontier's robots.txt records (what one worker fetched, the others read).
     */
    private static final class ItemsStayInRedis implements Frontier, RobotsTxtStore {
        private static final ItemOutbox NOTHING =
                new ItemOutbox() {
                    @Override
                    public List<CommittedItems> poll(int maxBatches, Duration maxWait) {
                        return List.of();
                    }

                    @Override
                    public void acknowledge(long sequence) {}

                    @Override
                    public long ready() {
                        return 0;
                    }

                    @Override
                    public long pending() {
                        return 0;
                    }
                };

        private final RedisFrontier redis;

        ItemsStayInRedis(RedisFrontier redis) {
            this.redis = redis;
        }

        @Override
        public @Nullable RobotsTxtRecord robotsTxt(String origin) {
            return redis.robotsTxt(origin);
        }

        @Override
        public List<RobotsTxtRecord> robotsTxtWithCrawlDelay() {
            return redis.robotsTxtWithCrawlDelay();
        }

        @Override
        public void keepRobotsTxt(RobotsTxtRecord record) {
            redis.keepRobotsTxt(record);
        }

        @Override
        public void crawlDelayFromFirstRequest(String origin, Duration crawlDelay) {
            redis.crawlDelayFromFirstRequest(origin, crawlDelay);
        }

        @Override
        public Opening opening() {
            return redis.opening();
        }

        @Override
        public int add(List<Request> requests) {
            return redis.add(requests);
        }

        @Override
        public @Nullable Lease take(Duration maxWait) throws InterruptedException {
            return redis.take(maxWait);
        }

        @Override
        public void started(Lease lease) {
            redis.started(lease);
        }

        @Override
        public Ending done(
                Lease lease, List<Request> produced, List<Item> items, SlotSignals signals) {
            return redis.done(lease, produced, items, signals);
        }

        @Override
        public Ending retry(
                Lease lease, Request request, Duration delay, String reason, SlotSignals signals) {
            return redis.retry(lease, request, delay, reason, signals);
        }

        @Override
        public Ending fail(Lease lease, String reason, SlotSignals signals) {
            return redis.fail(lease, reason, signals);
        }

        @Override
        public @Nullable Lease renew(Lease lease) {
            return redis.renew(lease);
        }

        @Override
        public ItemOutbox outbox() {
            return NOTHING;
        }

        @Override
        public boolean isFinished() {
            return redis.isFinished();
        }

        @Override
        public boolean awaitFinished(Duration timeout) throws InterruptedException {
            return redis.awaitFinished(timeout);
        }

        @Override
        public long queuedCount() {
            return redis.queuedCount();
        }

        @Override
        public int leasedCount() {
            return redis.leasedCount();
        }

        @Override
        public Map<String, Long> stats() {
            return redis.stats();
        }

        @Override
        public void wakeUp() {
            redis.wakeUp();
        }

        @Override
        public void close() {
            redis.close();
        }
    }
}
