package org.arachne.redis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.arachne.frontier.FrontierException;

/**
 * A worker's name held in a crawl for as long as the worker runs: one process per name (its {@code
 * claim:worker:<name>}, renewed every few seconds), and its entry in the crawl's {@code workers}
 * hash, written with each renewal and once more as it ends, for {@code arachne status}. A worker
 * that writes its own file reads its own stream under this name: holding the name is what keeps
 * that stream to one reader.
 */
public final class WorkerRegistration implements AutoCloseable {
    /** How long a worker's name stays held after its last heartbeat (a killed worker's). */
    public static final Duration CLAIM_LASTS = Claim.LASTS;

    private final Claim claim;
    private final AtomicReference<Supplier<WorkerReport>> report;

    private WorkerRegistration(Claim claim, AtomicReference<Supplier<WorkerReport>> report) {
        this.claim = claim;
        this.report = report;
    }

    /**
     * Holds the worker's name in the crawl, waiting up to {@code wait} for a process that holds it
     * still (a killed worker's claim lasts {@link #CLAIM_LASTS}), and writes its entry every few
     * seconds from {@code report}.
     *
     * @param onLost told once when another process took the name (this one went unrenewed for too
     *     long, e.g. stopped with SIGSTOP)
     * @throws FrontierException of kind {@code IN_USE} naming the process that holds the name
     * @throws IllegalArgumentException when the name cannot name Redis keys
     */
    public static WorkerRegistration register(
            RedisCrawl crawl,
            String worker,
            Duration wait,
            Supplier<WorkerReport> report,
            Consumer<String> onLost)
            throws InterruptedException {
        CrawlKeys.checkName("worker", worker);
        AtomicReference<Supplier<WorkerReport>> current = new AtomicReference<>(report);
        Claim claim =
                Claim.take(
                        crawl,
                        claimKey(worker),
                        "the worker name '" + worker + "'",
                        wait,
                        worker,
                        () -> CrawlStatus.json(current.get().get()),
                        onLost);
        return new WorkerRegistration(claim, current);
    }

    /** The claim on a worker's name, which an export of that worker's stream takes too. */
    static String claimKey(String worker) {
        return "claim:worker:" + worker;
    }

    /** The entry {@link #close} writes last: how the worker ended. */
    public void ended(WorkerReport last) {
        report.set(() -> last);
    }

    /** Writes the last entry and gives the name up. */
    @Override
    public void close() {
        claim.close();
    }

    /**
     * This host's name, as its environment says it without a DNS lookup: {@code HOSTNAME}, else
     * {@code /etc/hostname}, else {@code localhost}.
     */
    public static String host() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = Files.readString(Path.of("/etc/hostname"), StandardCharsets.UTF_8).strip();
            } catch (IOException | SecurityException e) {
                host = "";
            }
        }
        return host.isBlank() ? "localhost" : host;
    }
}
