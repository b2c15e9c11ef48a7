package org.arachne.engine;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.arachne.frontier.DeadLetterStore;
import org.arachne.frontier.Frontier;
import org.arachne.frontier.FrontierException;
import org.arachne.frontier.Lease;
import org.arachne.frontier.Opening;
import org.arachne.frontier.Ticker;
import org.arachne.http.Request;
import org.arachne.item.ItemPipeline;
import org.arachne.politeness.SlotSignals;
import org.arachne.spider.Login;
import org.arachne.spider.Spider;
import org.arachne.url.Urls;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one crawl: a dispatcher thread takes leases from the frontier (which enforces per-slot
 * politeness) under a global permit of {@code concurrent_requests}, and each lease is handled on
 * its own virtual thread by a {@link LeaseHandler}: request stages, download, response stages,
 * callback, pipelines, and the one commit that ends the lease; the thread then drains the items the
 * frontier committed into the feeds. The crawl ends when the frontier says nothing is queued or
 * leased, or when a close condition, {@link #stop} or {@link #abort} ends it.
 *
 * <p>Leases are renewed while they are handled, every third of the lease duration. A {@link
 * FrontierException} that is transient is tried again with capped backoff; any other stops the
 * crawl cleanly ({@link CrawlResult.Status#ABORTED}, the feeds closed).
 */
final class Engine {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    /** How often the counters are saved to the frontier (a durable one resumes with them). */
    private static final Duration COUNTERS_SAVED_EVERY = Duration.ofSeconds(1);

    /** The longest a dispatcher waits in one take; any change to the frontier wakes it earlier. */
    private static final Duration TAKE_WAIT = Duration.ofMinutes(1);

    private final Spider spider;
    private final Settings settings;
    private final Stats stats;
    private final CrawlParts parts;
    private final Frontier frontier;
    private final FeedWriter feedWriter;
    private final FrontierCalls frontierCalls;
    private final Semaphore globalPermits;
    private final Ticker ticker;

    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean frontierFailed = new AtomicBoolean();
    private final AtomicReference<CrawlResult.@Nullable Status> endStatus = new AtomicReference<>();
    private volatile String endReason = "finished";
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder committedItems = new LongAdder();
    private volatile long restoredItems; // committed by earlier runs of a resumed crawl
    private volatile Map<String, Long> restored = Map.of(); // the counters of earlier runs
    private final Map<String, LeaseHandler> handlers = new ConcurrentHashMap<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final Object dispatching = new Object();
    private @Nullable Thread dispatcher; // guarded by dispatching; null once the dispatch ended
    private volatile boolean callerInterrupted;

    Engine(CrawlParts parts) {
        this.parts = parts;
        this.spider = parts.spider();
        this.settings = parts.settings();
        this.stats = parts.stats();
        this.ticker = parts.ticker();
        this.frontier = parts.frontier();
        this.frontierCalls = new FrontierCalls(stats, this::frontierFailed);
        this.feedWriter =
                parts.feedWriter(
                        frontierCalls,
                        this::checkCloseConditions,
                        reason -> end(CrawlResult.Status.OUTPUT_FAILED, reason));
        this.globalPermits = new Semaphore(settings.get(Setting.CONCURRENT_REQUESTS));
    }

    Settings settings() {
        return settings;
    }

    Stats stats() {
        return stats;
    }

    long queued() {
        return frontier.queuedCount();
    }

    int inFlight() {
        return inFlight.get();
    }

    CrawlResult run() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("a Crawler runs once; build another to crawl again");
        }
        long start = ticker.nanos();
        synchronized (dispatching) {
            dispatcher = Thread.currentThread();
        }
        try {
            restoreCounters(); // before anything can fail: the end saves them again
            if (open() && loggedIn()) {
                startTimers();
                seed();
                dispatch();
            }
        } finally {
            finish();
        }
        if (callerInterrupted) {
            Thread.currentThread().interrupt();
        }
        CrawlResult.Status status = endStatus.get();
        Duration elapsed = Duration.ofNanos(ticker.nanos() - start);
        stats.inc(StatKeys.ELAPSED_MS, elapsed.toMillis());
        return new CrawlResult(
                status == null ? CrawlResult.Status.FINISHED : status,
                endReason,
                elapsed,
                stats.snapshot(),
                restored);
    }

    void stop() {
        end(CrawlResult.Status.STOPPED, "stopped on request");
    }

    /** Ends the crawl at once; an abort after a graceful stop says aborted, as it was. */
    void abort() {
        abort("aborted on request");
    }

    private void abort(String reason) {
        CrawlResult.Status before = endStatus.getAndSet(CrawlResult.Status.ABORTED);
        if (before == null) {
            announceEnd(reason);
        } else if (before != CrawlResult.Status.ABORTED) {
            endReason = reason + " (after: " + endReason + ")";
            LOG.info("closing: {}", endReason);
        }
        frontier.wakeUp();
        workers.shutdownNow();
    }

    /**
     * Ends the crawl for this reason (the first reason given wins): the dispatcher stops taking
     * leases at once, whether it waits in the frontier or for a global permit.
     */
    private void end(CrawlResult.Status status, String reason) {
        if (endStatus.compareAndSet(null, status)) {
            announceEnd(reason);
        }
        frontier.wakeUp();
    }

    /** Records why the crawl ends and stops the dispatcher wherever it waits. */
    private void announceEnd(String reason) {
        endReason = reason;
        LOG.info("closing: {}", reason);
        synchronized (dispatching) {
            if (dispatcher != null && dispatcher != Thread.currentThread()) {
                dispatcher.interrupt();
            }
        }
    }

    /**
     * Stops the crawl for a frontier that failed for good; a frontier whose files cannot be written
     * (a full disk) ends it as {@link CrawlResult.Status#OUTPUT_FAILED}, as a feed would. Logged
     * once in one line (the message names the store and the reason; the stack trace at debug
     * level): every call after the first fails too, and each is counted.
     */
    private void frontierFailed(FrontierException e) {
        stats.countError("frontier", e);
        if (frontierFailed.compareAndSet(false, true)) {
            LOG.error("the frontier failed, stopping the crawl: {}", e.getMessage());
            LOG.debug("the frontier's failure", e);
        } else {
            LOG.debug("the frontier failed again: {}", e.getMessage(), e);
        }
        CrawlResult.Status status =
                e.kind() == FrontierException.Kind.STORAGE
                        ? CrawlResult.Status.OUTPUT_FAILED
                        : CrawlResult.Status.ABORTED;
        String reason = "frontier failed: " + e.getMessage();
        // a crawl whose last commits or acknowledgements failed did not finish: the leases'
        // threads drain after their permit is back, so the dispatcher may have said finished first
        if (endStatus.compareAndSet(CrawlResult.Status.FINISHED, status)) {
            endReason = reason;
            LOG.info("closing: {}", reason);
        } else {
            end(status, reason);
        }
    }

    private boolean open() {
        try {
            feedWriter.open(frontier.outbox().feedPositions());
            parts.fetchLog().open();
            if (settings.get(Setting.RETRY_FAILED)) {
                requeueDeadLetters(); // before the dead-letter feed copies them
            }
            parts.deadLetterFeed().open(frontier);
        } catch (IOException e) {
            // an output that cannot be opened: the message names it and says why, in one line
            return cannotStart(e, null);
        }
        try {
            for (ItemPipeline p : parts.pipelines()) {
                p.open();
            }
            spider.open();
            return true;
        } catch (Exception e) {
            return cannotStart(e, e);
        }
    }

    /**
     * Runs the spider's {@link Login}, when it has one, before anything is queued or taken: a
     * resumed crawl logs in again too, since cookies are not kept. A failed login aborts the crawl.
     */
    private boolean loggedIn() {
        String failure;
        try {
            Login login = spider.login();
            if (login == null) {
                return true;
            }
            failure = parts.loginRunner().run(login);
        } catch (InterruptedException e) {
            interruptedFromOutside(); // or stopped while logging in: the crawl ends either way
            return false;
        } catch (RuntimeException e) {
            stats.countError("login", e);
            failure = "the spider's login failed: " + Urls.redacted(e.toString());
            LOG.debug("the spider's login failed", e);
        }
        if (failure == null) {
            LOG.info("logged in");
            return true;
        }
        LOG.error("login failed, not crawling: {}", failure);
        end(CrawlResult.Status.ABORTED, "login failed: " + failure);
        return false;
    }

    /** {@code retry_failed}: the frontier's dead letters queued again (CrawlParts checked it). */
    private void requeueDeadLetters() {
        if (frontier instanceof DeadLetterStore store) {
            Integer requeued =
                    frontierCalls.call("queue the dead letters again", store::requeueDeadLetters);
            if (requeued != null) {
                stats.inc(StatKeys.FRONTIER_DEAD_LETTERS_REQUEUED, requeued);
                LOG.info("retry_failed: {} requests that failed for good queued again", requeued);
            }
        }
    }

    private boolean cannotStart(Exception e, @Nullable Exception stackTrace) {
        stats.countError("open", e);
        LOG.error("cannot start the crawl: {}", e.getMessage(), stackTrace);
        end(CrawlResult.Status.ABORTED, "cannot start: " + e.getMessage());
        return false;
    }

    /**
     * The counters of earlier runs carried over, and the frontier's own figures (its run number
     * among them) from the start.
     */
    private void restoreCounters() {
        restored = Map.copyOf(frontier.restoredCounters());
        restored.forEach(stats::inc);
        frontier.stats().forEach(stats::set);
        restoredItems = stats.get(StatKeys.ITEM_SCRAPED_COUNT);
    }

    /**
     * Queues the start requests. A resumed frontier goes on with its queue and takes only the start
     * requests it has not seen (added to the spider since the last run: never one crawled before,
     * {@code dontFilter} or not); a resumed frontier that had finished first queues again the pages
     * fetched longer ago than {@code recrawl_after}; one with nothing left says the job is
     * finished.
     */
    private void seed() {
        boolean resumed = frontier.opening() == Opening.RESUMED;
        if (resumed) {
            stats.inc(StatKeys.FRONTIER_RESUMED);
            LOG.info("resuming: {} requests queued", frontier.queuedCount());
        }
        Duration recrawlAfter = settings.get(Setting.RECRAWL_AFTER);
        if (resumed
                && recrawlAfter.isPositive()
                && Boolean.TRUE.equals(frontierCalls.call("check the end", frontier::isFinished))) {
            recrawl(recrawlAfter);
        }
        queueStartRequests(resumed);
        if (resumed
                && Boolean.TRUE.equals(frontierCalls.call("check the end", frontier::isFinished))) {
            LOG.info(
                    "the job finished in an earlier run: nothing left to crawl{}",
                    recrawlAfter.isPositive()
                            ? ", and no page was fetched longer ago than recrawl_after"
                            : "");
            end(CrawlResult.Status.FINISHED, "finished in an earlier run");
        }
    }

    /** Queues again the pages of a finished job fetched longer ago than {@code recrawlAfter}. */
    private void recrawl(Duration recrawlAfter) {
        Instant before = ticker.now().minus(recrawlAfter);
        Integer queued =
                frontierCalls.call(
                        "queue again the pages fetched before " + before,
                        () -> frontier.requeueFetchedBefore(before));
        if (queued != null && queued > 0) {
            stats.inc(StatKeys.RECRAWL_QUEUED, queued);
            LOG.info("recrawl: {} pages fetched before {} queued again", queued, before);
        }
    }

    private void queueStartRequests(boolean resumed) {
        List<Request> seeds = new ArrayList<>();
        try {
            seeds.addAll(spider.startRequests());
            seeds.addAll(spider.sitemaps().requests()); // also when startRequests is overridden
        } catch (RuntimeException e) {
            stats.countError("start_requests", e);
            LOG.error("the spider's start requests failed: {}", Urls.redacted(e.toString()), e);
            return;
        }
        List<Request> passed = parts.requestFilter().apply(seeds);
        List<Request> kept =
                resumed
                        ? passed.stream()
                                .map(r -> r.dontFilter() ? r.withDontFilter(false) : r)
                                .toList()
                        : passed;
        Integer queued = frontierCalls.call("add the start requests", () -> frontier.add(kept));
        if (queued != null) {
            parts.events().scheduled(kept.size(), queued);
        }
    }

    /**
     * {@code closespider_timeout}; every third of the lease duration, the renewal of the leases in
     * flight; and every {@link #COUNTERS_SAVED_EVERY}, a save of the counters, so a durable
     * frontier resumes with them (after a kill, with those of a second before).
     */
    private void startTimers() {
        Duration timeout = settings.get(Setting.CLOSESPIDER_TIMEOUT);
        if (timeout.isPositive()) {
            Thread.ofVirtual()
                    .name("closespider-timeout")
                    .start(
                            () -> {
                                if (!awaitEnd(timeout)) {
                                    end(CrawlResult.Status.CLOSED, "closespider_timeout");
                                }
                            });
        }
        Duration period = parts.leaseDuration().dividedBy(3);
        Thread.ofVirtual()
                .name("lease-renewal")
                .start(
                        () -> {
                            while (!awaitEnd(period)) {
                                handlers.values().forEach(LeaseHandler::renew);
                            }
                        });
        Thread.ofVirtual()
                .name("save-counters")
                .start(
                        () -> {
                            while (!awaitEnd(COUNTERS_SAVED_EVERY)) {
                                frontierCalls.run(
                                        "save the counters",
                                        () -> frontier.saveCounters(stats.snapshot()));
                            }
                        });
    }

    /** Waits up to this long for the crawl to end; true when it ended. */
    private boolean awaitEnd(Duration wait) {
        try {
            return ended.await(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private void dispatch() {
        int pageLimit = settings.get(Setting.CLOSESPIDER_PAGECOUNT);
        // closespider_pagecount: no more leases out than could still become the missing pages
        Semaphore pagesLeft =
                pageLimit > 0
                        ? new Semaphore(
                                (int)
                                        Math.max(
                                                0,
                                                pageLimit
                                                        - stats.get(
                                                                StatKeys.RESPONSE_RECEIVED_COUNT)))
                        : null;
        checkCloseConditions(); // a resumed crawl may have reached its limits already
        while (endStatus.get() == null) {
            if (!acquire(globalPermits)) {
                break;
            }
            if (pagesLeft != null && !acquire(pagesLeft)) {
                globalPermits.release();
                break;
            }
            Lease lease;
            try {
                lease = frontierCalls.waiting("take a lease", () -> frontier.take(TAKE_WAIT));
            } catch (InterruptedException e) {
                interruptedFromOutside();
                lease = null;
            }
            if (lease == null || endStatus.get() != null) {
                globalPermits.release();
                if (pagesLeft != null) {
                    pagesLeft.release();
                }
                if (lease != null) {
                    putBack(lease);
                } else if (endStatus.get() == null
                        && Boolean.TRUE.equals(
                                frontierCalls.call("check the end", frontier::isFinished))) {
                    end(CrawlResult.Status.FINISHED, "finished");
                }
                continue;
            }
            inFlight.incrementAndGet();
            LeaseHandler handler = parts.handler(lease, frontierCalls, this::itemsCommitted);
            handlers.put(lease.token(), handler);
            Lease taken = lease;
            workers.execute(
                    () -> {
                        try {
                            handler.run();
                        } finally {
                            handlers.remove(taken.token());
                            inFlight.decrementAndGet();
                            if (pagesLeft != null && !handler.receivedPage()) {
                                pagesLeft.release(); // no page came of it: another lease may try
                            }
                            globalPermits.release();
                            feedWriter.drain(frontier.outbox());
                            checkCloseConditions();
                        }
                    });
        }
    }

    /** Takes a permit; false when interrupted (the crawl is ending). */
    private boolean acquire(Semaphore permits) {
        try {
            permits.acquire();
            return true;
        } catch (InterruptedException e) {
            interruptedFromOutside();
            return false;
        }
    }

    /**
     * The engine interrupts the dispatch only once the crawl is ending; an interrupt before that
     * came from whoever runs the crawl (a cancelled task, a test's timeout): the crawl aborts, and
     * the caller's thread gets its interrupt back when {@link #run} returns.
     */
    private void interruptedFromOutside() {
        if (endStatus.get() == null) {
            callerInterrupted = true;
            abort("the crawl's thread was interrupted");
        }
    }

    /** A lease taken as the crawl closes goes back untouched; its start is given back. */
    private void putBack(Lease lease) {
        frontierCalls.end(
                "put back " + Urls.redacted(lease.request().url()),
                () ->
                        frontier.retry(
                                lease,
                                lease.request(),
                                Duration.ZERO,
                                "crawl is closing",
                                SlotSignals.NOT_SENT));
    }

    private void finish() {
        synchronized (dispatching) {
            dispatcher = null;
        }
        Thread.interrupted(); // end() interrupts the dispatch; the cleanup must run
        ended.countDown();
        workers.close(); // waits for in-flight leases (interrupted already on abort)
        feedWriter.drain(frontier.outbox()); // whatever the last leases committed
        try {
            spider.close();
        } catch (Exception e) {
            stats.countError("close", e);
            LOG.error("the spider's close() failed: {}", e.toString(), e);
        }
        for (ItemPipeline p : parts.pipelines()) {
            try {
                p.close();
            } catch (Exception e) {
                stats.countError("pipeline", e);
                LOG.error("pipeline {} failed to close: {}", p, e.toString(), e);
            }
        }
        feedWriter.close();
        parts.fetchLog().close();
        parts.deadLetterFeed().close();
        frontier.stats().forEach(stats::set);
        frontierCalls.run("save the counters", () -> frontier.saveCounters(stats.snapshot()));
        CrawlResult.Status status = endStatus.get();
        frontierCalls.run(
                "record the end of this run",
                () ->
                        frontier.runEnded(
                                (status == null ? CrawlResult.Status.FINISHED : status).name(),
                                endReason));
        frontier.close();
        parts.downloader().close();
    }

    /**
     * A lease is committing items (or, with a negative count, its commit was refused): the item
     * limit counts them now, before the feeds wrote them and before the requests produced with them
     * can be taken, so the crawl stops at the limit rather than a few pages later.
     */
    private void itemsCommitted(int count) {
        committedItems.add(count);
        if (count > 0) {
            checkCloseConditions();
        }
    }

    private void checkCloseConditions() {
        int itemLimit = settings.get(Setting.CLOSESPIDER_ITEMCOUNT);
        if (itemLimit > 0 && committedItems.sum() + restoredItems >= itemLimit) {
            end(CrawlResult.Status.CLOSED, "closespider_itemcount");
        }
        int pageLimit = settings.get(Setting.CLOSESPIDER_PAGECOUNT);
        if (pageLimit > 0 && stats.get(StatKeys.RESPONSE_RECEIVED_COUNT) >= pageLimit) {
            end(CrawlResult.Status.CLOSED, "closespider_pagecount");
        }
        int errorLimit = settings.get(Setting.CLOSESPIDER_ERRORCOUNT);
        if (errorLimit > 0 && stats.get(StatKeys.ERROR_COUNT) >= errorLimit) {
            end(CrawlResult.Status.CLOSED, "closespider_errorcount");
        }
    }
}
