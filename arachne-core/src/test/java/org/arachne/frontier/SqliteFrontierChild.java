package org.arachne.frontier;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import org.arachne.http.Request;
import org.arachne.item.Item;
import org.arachne.politeness.SlotSignals;

/**
 * The process {@link SqliteFrontierKillIT} kills: works a job dir's frontier as a crawl would,
 * prints {@code READY} and waits, the frontier open, until it is killed. Arguments: the job dir,
 * and {@code bloom} or {@code exact}.
 */
final class SqliteFrontierChild {
    private SqliteFrontierChild() {}

    static FrontierSetup setup(boolean bloom) {
        return FrontierSetup.plainQueue()
                .withCrawl("killed")
                .withDedup(bloom ? Dedup.bloom(100_000, 0.001) : Dedup.EXACT);
    }

    static String url(int n) {
        return "http://a.test/" + n;
    }

    public static void main(String[] args) throws Exception {
        SqliteFrontier f = SqliteFrontier.open(Path.of(args[0]), setup(args[1].equals("bloom")));
        List<Request> start = new ArrayList<>();
        for (int n = 1; n <= 10; n++) {
            start.add(Request.get(url(n)));
        }
        f.add(start);
        // 1 and 2 done with items (1 also produced 11, and 5 again); 3 leased when killed;
        // 4 retried in an hour
        f.done(
                take(f),
                List.of(Request.get(url(11)), Request.get(url(5))),
                List.of(Item.of("page", 1)),
                SlotSignals.NONE);
        f.done(take(f), List.of(), List.of(Item.of("page", 2)), SlotSignals.NONE);
        take(f);
        Lease fourth = take(f);
        f.retry(fourth, fourth.request(), Duration.ofHours(1), "HTTP 503", SlotSignals.NONE);
        // the feed writer wrote page 1 and acknowledged it; page 2 was taken, not acknowledged
        List<CommittedItems> batches = f.outbox().poll(2, Duration.ZERO);
        f.outbox().acknowledge(batches.getFirst().sequence());
        f.saveCounters(Map.of("item_scraped_count", 1L));
        System.out.println("READY");
        System.out.flush();
        new CountDownLatch(1).await(); // until killed
    }

    private static Lease take(Frontier f) throws InterruptedException {
        return Objects.requireNonNull(f.take(Duration.ZERO), "a ready request");
    }
}
