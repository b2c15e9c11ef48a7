package org.arachne.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.arachne.frontier.FrontierException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A frontier's forwarding of requests between the partitions of its crawl (docs/redis.md,
 * "Partitions"): what a partition keeps in {@code out:<target>} for other partitions' slots, queued
 * on each target ({@code forward.lua}) and then trimmed from the source ({@code trim.lua}). Its
 * figures: {@code redis/forwarded}, {@code redis/forward_failed}, {@code redis/trim_failed}.
 *
 * <p>Thread-safety: safe for use from any thread.
 */
final class Forwarder {
    private static final Logger log = LoggerFactory.getLogger(Forwarder.class);

    private final Scripts scripts;
    private final String crawl;
    private final PartitionTurns turns;
    private final Supplier<Args> common;
    private final Runnable queuedHere;
    private final RepeatedWarning warning = new RepeatedWarning(Duration.ofSeconds(5));
    private final LongAdder forwarded = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder trimFailures = new LongAdder();

    /**
     * @param common the first arguments of every script (the crawl's time and mode)
     * @param queuedHere told when a forward queued requests, so that a waiting take asks again
     */
    Forwarder(
            Scripts scripts,
            String crawl,
            PartitionTurns turns,
            Supplier<Args> common,
            Runnable queuedHere) {
        this.scripts = scripts;
        this.crawl = crawl;
        this.turns = turns;
        this.common = common;
        this.queuedHere = queuedHere;
    }

    /**
     * Forwards what a partition's reply says waits there for other partitions ({@code
     * pendingOutgoing} in lib.lua: target, entries, ...): one {@code forward.lua} call on each
     * target, sent at once, then a {@code trim.lua} on the source for what each target answered it
     * has queued, sent without waiting. A failure is counted ({@code redis/forward_failed}) and
     * told every few seconds; the entries stay in the source, and a take there forwards them when
     * they are a few seconds old, so they are late, never lost.
     */
    void forward(int source, List<Object> pending) {
        if (pending.isEmpty()) {
            return;
        }
        List<Scripts.Call> calls = new ArrayList<>();
        for (int i = 0; i + 1 < pending.size(); i += 2) {
            int target = (int) Scripts.number(pending.get(i));
            Args args = common.get().add(source);
            for (Object value : Scripts.list(pending.get(i + 1))) {
                args.add(Scripts.bytes(value));
            }
            calls.add(new Scripts.Call(Scripts.Script.FORWARD, target, args.list()));
        }
        List<List<Object>> replies;
        try {
            replies = scripts.callAll(calls);
        } catch (FrontierException e) {
            failures.increment();
            if (warning.due()) {
                log.warn(
                        "crawl {}: could not forward requests from partition {} to the partitions"
                                + " of their slots ({} such failures so far;"
                                + " redis/forward_failed); a take there forwards them later: {}",
                        crawl,
                        source,
                        failures.sum(),
                        e.getMessage());
            }
            return;
        }
        boolean queued = false;
        for (int i = 0; i < calls.size(); i++) {
            int target = calls.get(i).partition();
            List<Object> reply = replies.get(i);
            forwarded.add((calls.get(i).args().size() - 3) / 2);
            if (Scripts.number(reply.get(1)) > 0) {
                turns.askNow(target);
                queued = true;
            }
            turns.bestReady(target, reply.get(2));
            scripts.send(
                    Scripts.Script.TRIM,
                    source,
                    common.get().add(target).add(Scripts.number(reply.get(0))).list(),
                    e -> {
                        trimFailures.increment();
                        log.debug(
                                "crawl {}: could not trim what partition {} forwarded to {}: {}",
                                crawl,
                                source,
                                target,
                                e.toString());
                    });
        }
        if (queued) {
            queuedHere.run();
        }
    }

    /** Its figures: the entries forwarded (for a crawl of several partitions) and the failures. */
    void addStats(Map<String, Long> stats, boolean partitioned) {
        if (partitioned) {
            stats.put("redis/forwarded", forwarded.sum());
        }
        if (failures.sum() > 0) {
            stats.put("redis/forward_failed", failures.sum());
        }
        if (trimFailures.sum() > 0) {
            stats.put("redis/trim_failed", trimFailures.sum());
        }
    }
}
