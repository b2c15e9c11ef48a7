package org.arachne.engine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;
import org.arachne.frontier.FrontierFactory;
import org.arachne.frontier.Ticker;
import org.arachne.http.Downloader;
import org.arachne.item.ItemPipeline;
import org.arachne.item.export.Feed;
import org.arachne.middleware.RequestStage;
import org.arachne.middleware.ResponseStage;
import org.arachne.spider.Spider;
import org.jspecify.annotations.Nullable;

/**
 * Runs one spider: the entry point from plain Java ({@code main} or a test) and from the command
 * line.
 *
 * {@snippet :
 * CrawlResult result = Crawler.builder(new BooksSpider())
 *         .setting(Setting.CONCURRENT_REQUESTS, 32)
 *         .feed(Feed.of(Path.of("books.jsonl"), true))
 *         .build()
 *         .run();
 * }
 *
 * <p>Lifecycle: {@link #run} once. From another thread (a signal handler), {@link #stop} ends the
 * crawl gracefully (no new requests; in-flight ones finish; feeds are flushed and closed) and
 * {@link #abort} ends it at once (in-flight requests are interrupted; feeds are still closed).
 */
public final class Crawler {
    private final Engine engine;

    private Crawler(Engine engine) {
        this.engine = engine;
    }

    /** A builder for a crawl of this spider. */
    public static Builder builder(Spider spider) {
        return new Builder(spider);
    }

    /**
     * Runs the crawl to its end and returns how it ended. Failures of single pages, servers,
     * callbacks or pipelines are counted in the result's stats, never thrown.
     *
     * @throws IllegalStateException when called twice
     */
    public CrawlResult run() {
        return engine.run();
    }

    /** Ends the crawl gracefully: no new requests, in-flight ones finish. Idempotent. */
    public void stop() {
        engine.stop();
    }

    /** Ends the crawl at once, interrupting in-flight requests; feeds are still closed. */
    public void abort() {
        engine.abort();
    }

    /** Live counters, read-only, for progress displays. */
    public StatsView stats() {
        return engine.stats();
    }

    /** Requests queued in the frontier now. */
    public long queued() {
        return engine.queued();
    }

    /** Requests being downloaded or parsed now. */
    public int inFlight() {
        return engine.inFlight();
    }

    /** The settings in force (defaults, spider settings, then builder settings). */
    public Settings settings() {
        return engine.settings();
    }

    /**
     * Where the requests that failed for good are listed: {@code failed_file}, else {@code
     * failed.jsonl} in {@code job_dir}; empty without either.
     */
    public Optional<Path> failedFile() {
        return Optional.ofNullable(DeadLetterFeed.path(engine.settings()));
    }

    /** Configures a crawl; each call validates its argument and names it in errors. */
    public static final class Builder {
        private final Spider spider;
        private final Map<String, @Nullable Object> settings = new LinkedHashMap<>();
        private final List<Feed> feeds = new ArrayList<>();
        private final List<ItemPipeline> pipelines = new ArrayList<>();
        private final List<RequestStage> requestStages = new ArrayList<>();
        private final List<ResponseStage> responseStages = new ArrayList<>();
        private @Nullable Downloader downloader;
        private @Nullable Path fetchedUrls;
        private @Nullable FrontierFactory frontier; // null: chosen by job_dir
        private Ticker ticker = Ticker.system();
        private RandomGenerator random = ThreadLocalRandom.current();

        private Builder(Spider spider) {
            this.spider = Objects.requireNonNull(spider, "spider");
        }

        /**
         * Sets one setting over the spider's own.
         *
         * @throws IllegalArgumentException for an unknown key (naming the closest known one) or a
         *     bad value (naming what is expected)
         */
        public Builder setting(String key, @Nullable Object value) {
            Settings.defaults().with(key, value);
            settings.put(key, value);
            return this;
        }

        /**
         * Sets one setting over the spider's own: {@code .setting(Setting.DOWNLOAD_DELAY,
         * Duration.ofSeconds(2))}.
         *
         * @throws IllegalArgumentException when the value breaks the setting's rule
         */
        public <T> Builder setting(Setting<T> setting, T value) {
            return setting(setting.key(), value);
        }

        /** Sets several settings over the spider's own. */
        public Builder settings(Map<String, ?> values) {
            values.forEach(this::setting);
            return this;
        }

        /** Adds an output file. */
        public Builder feed(Feed feed) {
            feeds.add(Objects.requireNonNull(feed, "feed"));
            return this;
        }

        /** Adds an item pipeline; pipelines run in the order they are added. */
        public Builder pipeline(ItemPipeline pipeline) {
            pipelines.add(Objects.requireNonNull(pipeline, "pipeline"));
            return this;
        }

        /**
         * Adds a stage every request passes before its download, after the built-in ones
         * (private-address guard, robots.txt); stages run in the order they are added. A stage may
         * change the request (its headers, say) or end the lease with an {@link
         * org.arachne.middleware.Outcome}.
         */
        public Builder requestStage(RequestStage stage) {
            requestStages.add(Objects.requireNonNull(stage, "stage"));
            return this;
        }

        /**
         * Adds a stage every response passes on its way to the callback, after redirect, retry and
         * robots.txt and before the HTTP error filter; stages run in the order they are added.
         */
        public Builder responseStage(ResponseStage stage) {
            responseStages.add(Objects.requireNonNull(stage, "stage"));
            return this;
        }

        /** Replaces the HTTP downloader (for tests or custom transports). */
        public Builder downloader(Downloader customDownloader) {
            this.downloader = Objects.requireNonNull(customDownloader, "downloader");
            return this;
        }

        /**
         * Replaces where the queue lives: by default a job dir's database when {@code job_dir} is
         * set, else memory (lost when the process ends). Refused at {@link #build} together with
         * {@code job_dir}.
         */
        public Builder frontier(FrontierFactory factory) {
            this.frontier = Objects.requireNonNull(factory, "frontier");
            return this;
        }

        /**
         * Replaces the crawl's clocks (delays, waits, lease deadlines, {@code Retry-After} dates),
         * so that tests move time instead of waiting.
         */
        public Builder ticker(Ticker crawlTicker) {
            this.ticker = Objects.requireNonNull(crawlTicker, "ticker");
            return this;
        }

        /**
         * Replaces the random source of randomised delays and backoff jitter (it must be safe for
         * use from many threads), so that tests are repeatable.
         */
        public Builder random(RandomGenerator source) {
            this.random = Objects.requireNonNull(source, "random");
            return this;
        }

        /**
         * Writes the URL of every response received to this file, one per line (robots.txt fetches
         * excluded), for checking a crawl against a site's list of pages.
         */
        public Builder fetchedUrls(Path file) {
            this.fetchedUrls = Objects.requireNonNull(file, "file");
            return this;
        }

        /**
         * Builds the crawler.
         *
         * @throws IllegalArgumentException when a setting (of the spider or the builder) is unknown
         *     or has a bad value
         */
        public Crawler build() {
            Settings merged = Settings.defaults().with(spider.settings()).with(settings);
            return new Crawler(
                    new Engine(
                            new CrawlParts(
                                    new CrawlParts.Inputs(
                                            spider,
                                            merged,
                                            feeds,
                                            pipelines,
                                            requestStages,
                                            responseStages,
                                            downloader,
                                            fetchedUrls,
                                            frontier,
                                            ticker,
                                            random))));
        }
    }
}
