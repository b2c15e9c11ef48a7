package org.arachne.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.arachne.frontier.Ending;
import org.arachne.frontier.FetchedPage;
import org.arachne.frontier.Frontier;
import org.arachne.frontier.FrontierException;
import org.arachne.frontier.Lease;
import org.arachne.http.DownloadException;
import org.arachne.http.Downloader;
import org.arachne.http.Request;
import org.arachne.http.Response;
import org.arachne.item.Item;
import org.arachne.middleware.HttpErrorFilter;
import org.arachne.middleware.Outcome;
import org.arachne.middleware.RecrawlStage;
import org.arachne.middleware.RequestStage;
import org.arachne.middleware.ResponseStage;
import org.arachne.middleware.RobotsStage;
import org.arachne.middleware.SlotReport;
import org.arachne.middleware.StageResult;
import org.arachne.politeness.SlotSignals;
import org.arachne.spider.Failure;
import org.arachne.url.Urls;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The flow of one lease: the request stages, the download, the response stages, the callback and
 * pipelines, then the one frontier call that ends the lease with what its slot learned (latency,
 * status, connection error, Crawl-delay, Retry-After pause) and, for a done one, the page it
 * fetched ({@link RecrawlStage#fetchedPage}); transactional pipelines are told before that call
 * and, once it was accepted, after. A request whose callback the spider does not have fails before
 * all that ({@link CallbackRunner#missingCallback}). A request that fails for good, or whose
 * non-2xx response the HTTP error filter keeps from its callback, goes to its errback first ({@link
 * CallbackRunner#errback}); when that emits items or requests, the lease ends done with them
 * instead of failed (#12). Every path ends the lease exactly once; the lease counts as ended only
 * once the frontier answered, so an ending that throws is tried again as a failure instead of
 * leaving the lease out.
 */
final class LeaseHandler implements SlotReport {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseHandler.class);

    /**
     * What every lease of one crawl goes through.
     *
     * @param itemsCommitted told how many items an ending is about to commit, before the frontier
     *     makes its requests visible to the dispatcher (so {@code closespider_itemcount} stops the
     *     crawl before the next page is taken), and told the negative count back when the ending
     *     was refused
     */
    record Flow(
            Frontier frontier,
            FrontierCalls calls,
            List<RequestStage> requestStages,
            Downloader downloader,
            List<ResponseStage> responseStages,
            CallbackRunner callbacks,
            RequestFilter requestFilter,
            CrawlEvents events,
            IntConsumer itemsCommitted) {
        Flow {
            requestStages = List.copyOf(requestStages);
            responseStages = List.copyOf(responseStages);
        }
    }

    private final Flow flow;
    private final Request request;
    private volatile Lease lease;
    private boolean leaseEnded;
    // set (by the handler's thread) before it asks the frontier to end the lease: from then on, a
    // renewal that finds no lease (the renewal thread) is the ending's own doing, not a loss
    private volatile boolean ending;
    private volatile boolean receivedPage;
    // the response as the last response stage let it go on: the page a done ending keeps
    private @Nullable Response lastResponse;
    // what an errback is told: the response a response stage ended the lease on, the download error
    private @Nullable Response endedOn;
    private @Nullable DownloadException downloadError;

    // what the lease learned about its slot, sent with its ending
    private SlotSignals signals = SlotSignals.NOT_SENT;
    private Duration crawlDelay = Duration.ZERO;
    private Duration pause = Duration.ZERO;
    // what the stages that let the lease go on asked to count, once it has ended
    private final List<String> stageCounters = new ArrayList<>();

    LeaseHandler(Flow flow, Lease lease) {
        this.flow = flow;
        this.lease = lease;
        this.request = lease.request();
    }

    /** Whether a page (not a robots.txt) response came back for this lease. */
    boolean receivedPage() {
        return receivedPage;
    }

    /** Extends the lease while the handler works; called from the engine's renewal thread. */
    void renew() {
        Lease current = lease;
        Lease renewed =
                flow.calls()
                        .call(
                                "renew the lease of " + Urls.redacted(request.url()),
                                () -> flow.frontier().renew(current));
        if (renewed != null) {
            lease = renewed;
        } else if (!ending) {
            LOG.warn("the lease of {} was lost before it ended", Urls.redacted(request.url()));
        }
    }

    void run() {
        try {
            handle();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (!leaseEnded) {
                putBack(request, Duration.ZERO, "interrupted: the crawl is aborting");
            }
        } catch (FrontierException e) {
            // a stage's own frontier call failed (the robots.txt stage queues robots.txt): not a
            // bug; a lease left out when the crawl stops is leased again by a durable frontier
            flow.calls().failed("handle " + Urls.redacted(request.url()), e);
            if (!leaseEnded && e.isTransient()) {
                putBack(request, Duration.ZERO, "the frontier failed: " + e.getMessage());
            }
        } catch (RuntimeException | Error e) {
            flow.events().unexpected(request, e);
            if (!leaseEnded) {
                try {
                    Outcome.Fail failure = new Outcome.Fail("unexpected failure: " + e, "engine");
                    endAsFailed(toldToStages(failure).reason());
                } catch (RuntimeException again) {
                    // the lease stays out until it expires; the frontier then queues it again
                    flow.events().unexpected(request, again);
                }
            }
        }
    }

    private void handle() throws InterruptedException {
        Outcome.Fail noCallback = flow.callbacks().missingCallback(request);
        if (noCallback != null) {
            fail(noCallback, false); // never fetched: the spider changed, nothing to handle
            return;
        }
        Request current = request;
        for (RequestStage stage : flow.requestStages()) {
            switch (stage.onRequest(current, this)) {
                case StageResult.Next<Request> next -> {
                    current = next.value();
                    stageCounters.addAll(next.counters());
                }
                case StageResult.End<Request> end -> {
                    end(end.outcome());
                    return;
                }
            }
        }
        Response response = download(current);
        if (response == null) {
            return;
        }
        for (ResponseStage stage : flow.responseStages()) {
            switch (stage.onResponse(response, this)) {
                case StageResult.Next<Response> next -> {
                    response = next.value();
                    lastResponse = response;
                    stageCounters.addAll(next.counters());
                }
                case StageResult.End<Response> end -> {
                    endedOn = response;
                    if (stage instanceof HttpErrorFilter
                            && end.outcome() instanceof Outcome.Drop ignored) {
                        statusIgnored(response, ignored);
                    } else {
                        end(end.outcome());
                    }
                    return;
                }
            }
        }
        CallbackRunner.Produced produced = flow.callbacks().run(response, request);
        Ending ending = commitProduced(produced, response.url());
        if (ending.accepted()) {
            // a lost lease queued nothing: its requests are neither scheduled nor duplicates
            flow.events().scheduled(produced.requests().size(), ending.queued());
            flow.events().count(stageCounters);
        }
    }

    /**
     * Ends the lease as done with what a callback or errback produced: the items through the
     * transactional pipelines' hooks around the frontier's commit.
     */
    private Ending commitProduced(CallbackRunner.Produced produced, String url) {
        List<CallbackRunner.Processed> prepared =
                flow.callbacks().beforeCommit(produced.processed(), url);
        int items = produced.items().size();
        if (items > 0) {
            flow.itemsCommitted().accept(items);
        }
        Ending ending = commit(produced.requests(), produced.items());
        if (items > 0 && !ending.accepted()) {
            flow.itemsCommitted().accept(-items);
        }
        if (ending.accepted()) {
            flow.callbacks().committed(prepared, url);
        }
        return ending;
    }

    /**
     * A non-2xx response the HTTP error filter kept from the callback (Scrapy's HttpError): its
     * errback is told, and the lease ends done with what the errback emitted.
     */
    private void statusIgnored(Response response, Outcome.Drop ignored) {
        int status = response.status();
        Failure failure =
                new Failure(
                        request,
                        "http_status/" + status,
                        "HTTP status " + status + " not handled",
                        status,
                        null,
                        response);
        CallbackRunner.Produced produced = flow.callbacks().errback(failure, request);
        Ending ending = commitProduced(produced, request.url());
        if (ending.accepted()) {
            errbackScheduled(produced, ending);
            flow.events().count(stageCounters);
            flow.events().outcome(request, ignored);
        }
    }

    /** Counts an errback's requests as scheduled (none: nothing counted, as before errbacks). */
    private void errbackScheduled(CallbackRunner.Produced produced, Ending ending) {
        if (!produced.requests().isEmpty()) {
            flow.events().scheduled(produced.requests().size(), ending.queued());
        }
    }

    /** Downloads; on failure the response stages decide, and the lease is ended (null then). */
    private Response download(Request toSend) throws InterruptedException {
        flow.events().requestSent(toSend);
        flow.frontier().started(lease);
        signals = SlotSignals.NONE; // sent: its start counts, whatever comes back
        try {
            Response response = flow.downloader().fetch(toSend);
            signals = SlotSignals.response(response.latency(), response.status());
            receivedPage = !RobotsStage.isRobotsRequest(toSend);
            lastResponse = response;
            flow.events().responseReceived(response);
            return response;
        } catch (DownloadException e) {
            DownloadException.Kind kind = e.kind();
            boolean backsOff =
                    kind == DownloadException.Kind.CONNECT
                            || kind == DownloadException.Kind.TIMEOUT
                            || kind == DownloadException.Kind.CONNECTION_RESET;
            if (backsOff) {
                signals = SlotSignals.connectionFailure();
            }
            downloadError = e;
            flow.events().downloadFailed(toSend, e, backsOff);
            Outcome outcome = null;
            for (ResponseStage stage : flow.responseStages()) {
                outcome = stage.onError(toSend, e);
                if (outcome != null) {
                    break;
                }
            }
            end(
                    outcome != null
                            ? outcome
                            : new Outcome.Fail(e.getMessage(), "download/" + kind.statName()));
            return null;
        }
    }

    @Override
    public void crawlDelay(Duration delay) {
        crawlDelay = delay;
        flow.events().crawlDelay(lease.slot(), delay);
    }

    @Override
    public void pause(Duration duration) {
        pause = duration;
        flow.events().slotPaused(lease.slot(), request, duration);
    }

    private SlotSignals signals() {
        return signals.withCrawlDelay(crawlDelay).withPause(pause);
    }

    /**
     * Ends the lease as a stage decided; the outcome is counted once the frontier accepted the
     * ending (a lost lease's request is queued again, so its outcome is not this lease's).
     */
    private void end(Outcome outcome) {
        Ending ending =
                switch (outcome) {
                    case Outcome.Drop drop -> commit(List.of(), List.of());
                    case Outcome.Replace replace ->
                            commit(
                                    flow.requestFilter().apply(List.of(replace.request())),
                                    List.of());
                    case Outcome.Retry retry ->
                            putBack(retry.request(), retry.delay(), retry.reason());
                    case Outcome.Wait wait -> putBack(wait.request(), wait.delay(), wait.reason());
                    case Outcome.Fail fail -> {
                        fail(fail);
                        yield null;
                    }
                };
        if (ending != null && ending.accepted()) {
            flow.events().count(stageCounters);
            flow.events().outcome(request, outcome);
        }
    }

    /** Ends the lease as done; a page it fetched (a 2xx, a recrawl's 304) is kept with it. */
    private Ending commit(List<Request> produced, List<Item> items) {
        FetchedPage page =
                lastResponse == null ? null : RecrawlStage.fetchedPage(request, lastResponse);
        this.ending = true;
        Ending ending =
                flow.calls()
                        .end(
                                "commit " + Urls.redacted(request.url()),
                                () ->
                                        flow.frontier()
                                                .done(lease, produced, items, signals(), page));
        leaseEnded = true;
        return ending;
    }

    private Ending putBack(Request again, Duration delay, String reason) {
        this.ending = true;
        Ending ending =
                flow.calls()
                        .end(
                                "put back " + Urls.redacted(request.url()),
                                () ->
                                        flow.frontier()
                                                .retry(lease, again, delay, reason, signals()));
        leaseEnded = true;
        return ending;
    }

    private void fail(Outcome.Fail failure) {
        fail(failure, true);
    }

    /**
     * Fails the lease for good, once the stages that saw the request had their say and, when {@code
     * toErrback}, its errback was told: an errback that emitted items or requests has handled the
     * failure, and the lease ends done with them (counted as the error all the same, but no dead
     * letter).
     */
    private void fail(Outcome.Fail failure, boolean toErrback) {
        Outcome.Fail told = toldToStages(failure);
        if (toErrback) {
            Response response = endedOn;
            Failure toTell =
                    new Failure(
                            request,
                            told.errorKind(),
                            told.reason(),
                            response == null ? 0 : response.status(),
                            downloadError,
                            response);
            CallbackRunner.Produced produced = flow.callbacks().errback(toTell, request);
            if (!produced.items().isEmpty() || !produced.requests().isEmpty()) {
                Ending ending = commitProduced(produced, request.url());
                if (ending.accepted()) {
                    errbackScheduled(produced, ending);
                    flow.events().count(stageCounters);
                    flow.events().count(List.of(StatKeys.ERRBACK_HANDLED));
                    flow.events().outcome(request, told);
                }
                return;
            }
        }
        if (endAsFailed(told.reason()).accepted()) {
            flow.events().count(stageCounters);
            flow.events().outcome(request, told);
        }
    }

    /**
     * The failure as the request stages tell it (robots.txt gives its origin up on the failure of
     * its request, unexpected ones included, or that origin's requests would wait for it forever);
     * a stage that throws here is counted and leaves the failure as it was.
     */
    private Outcome.Fail toldToStages(Outcome.Fail failure) {
        Outcome.Fail told = failure;
        for (RequestStage stage : flow.requestStages()) {
            try {
                told = stage.failed(request, told);
            } catch (RuntimeException e) {
                flow.events().unexpected(request, e);
            }
        }
        return told;
    }

    private Ending endAsFailed(String reason) {
        SlotSignals last = signals();
        this.ending = true;
        Ending ending =
                flow.calls()
                        .end(
                                "fail " + Urls.redacted(request.url()),
                                () -> flow.frontier().fail(lease, reason, last));
        leaseEnded = true;
        if (ending.accepted()) {
            flow.events().deadLetter(request, reason, last.status());
        }
        return ending;
    }
}
