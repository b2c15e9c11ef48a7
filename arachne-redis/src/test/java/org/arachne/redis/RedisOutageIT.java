package org.arachne.redis;

import static org.arachne.redis.SandboxCrawls.assertManifestItems;
import static org.arachne.redis.SandboxCrawls.pagesFetched;
import static org.arachne.redis.SandboxCrawls.readItems;
import static org.arachne.redis.SandboxCrawls.sandbox;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.arachne.engine.CrawlResult;
import org.arachne.engine.Crawler;
import org.arachne.item.export.Feed;
import org.arachne.sandbox.Sandbox;
import org.arachne.sandbox.SiteManifest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Redis stopped under a running crawl and started again with its append-only file (#11): the
 * workers keep what they hold and wait with capped backoff, the log tells the outage a few times
 * (not once per attempt, no stack traces), and the crawl goes on when Redis is back and finishes
 * with exactly the manifest's items, every page fetched once.
 */
@Timeout(120)
class RedisOutageIT {
    @RegisterExtension static final RedisServer REDIS = RedisServer.withAppendOnly();

    @TempDir Path temp;

    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final AtomicInteger uncaught = new AtomicInteger();
    private Thread.UncaughtExceptionHandler handlerBefore;

    @BeforeEach
    void captureLogAndUncaughtExceptions() {
        logged.start();
        root().addAppender(logged);
        handlerBefore = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> uncaught.incrementAndGet());
    }

    @AfterEach
    void restore() {
        root().detachAppender(logged);
        Thread.setDefaultUncaughtExceptionHandler(handlerBefore);
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    private List<ILoggingEvent> events(Level atLeast) {
        synchronized (logged.list) {
            return logged.list.stream()
                    .filter(e -> e.getLevel().isGreaterOrEqual(atLeast))
                    .toList();
        }
    }

    /** The engine's warnings that the frontier fails: the first, and those while it lasts. */
    private long frontierWarnings() {
        return events(Level.WARN).stream()
                .filter(e -> e.getLoggerName().endsWith("FrontierCalls"))
                .filter(e -> e.getFormattedMessage().startsWith("the frontier "))
                .count();
    }

    @Test
    void redisStoppedUnderACrawl_andStartedAgain_theCrawlFinishesWithExactlyTheManifest()
            throws Exception {
        try (Sandbox sandbox = sandbox(Duration.ofMillis(20), "127.0.0.131", "127.0.0.132")) {
            SiteManifest manifest = sandbox.manifest();
            Path out = temp.resolve("books.jsonl");
            Crawler crawler =
                    Crawler.builder(new SandboxCrawls.Books(sandbox.startUrls()))
                            .settings(
                                    Map.of(
                                            "concurrent_requests", 8,
                                            "concurrent_requests_per_domain", 4))
                            .frontier(
                                    RedisFrontier.factory(
                                            REDIS.uri(),
                                            RedisFrontierOptions.defaults().withWorker("steady")))
                            .feed(Feed.of(out, true))
                            .build();
            CompletableFuture<CrawlResult> crawl = CompletableFuture.supplyAsync(crawler::run);

            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(5))
                    .until(() -> pagesFetched(sandbox) >= manifest.crawlablePages() / 4);
            REDIS.stop();
            // Redis stays down until the crawl has told the outage a second time (5 s later)
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> frontierWarnings() >= 2);
            long fetchedWhileDown = pagesFetched(sandbox);
            REDIS.startAgain();
            CrawlResult result = crawl.get(90, TimeUnit.SECONDS);

            assertThat(result.status()).isEqualTo(CrawlResult.Status.FINISHED);
            assertManifestItems(readItems(out), manifest);
            assertThat(pagesFetched(sandbox))
                    .as("every page fetched once")
                    .isEqualTo(manifest.crawlablePages());
            assertThat(fetchedWhileDown).isLessThan(manifest.crawlablePages());
            long retries = result.stats().getOrDefault("frontier/retries", 0L);
            assertThat(frontierWarnings())
                    .as("the outage told every 5 s, not at each of the %d attempts", retries)
                    .isBetween(2L, 4L);
            assertThat(retries).isGreaterThan(2 * frontierWarnings());
            assertThat(events(Level.INFO))
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .anyMatch(m -> m.startsWith("the frontier works again after"));
            List<ILoggingEvent> warnings = events(Level.WARN);
            assertThat(warnings).as("warnings: %s", warnings).hasSizeLessThanOrEqualTo(20);
            assertThat(warnings)
                    .as("no stack trace in the log")
                    .allMatch(e -> e.getThrowableProxy() == null);
            assertThat(uncaught.get()).as("exceptions no thread caught").isZero();
        }
    }
}
