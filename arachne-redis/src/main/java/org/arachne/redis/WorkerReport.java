package org.arachne.redis;

import java.util.Objects;

/**
 * What a worker says of itself with each heartbeat, kept in the crawl's {@code workers} hash as
 * JSON for {@code arachne status}: where it runs, where its items go, how it is doing. Immutable.
 *
 * @param host the host it runs on, as its environment names it
 * @param pid its process id
 * @param output {@code stream} (the crawl's stream, for {@code arachne export}) or the file it
 *     writes its own items to
 * @param state {@code running}, then how it ended: {@code finished}, {@code stopped} (by {@code
 *     arachne stop}), {@code interrupted} (Ctrl-C), {@code aborted}, {@code output_failed}
 * @param pages responses it received
 * @param items items it committed
 * @param errors errors it counted
 * @param failed requests it failed for good
 */
public record WorkerReport(
        String host,
        long pid,
        String output,
        String state,
        long pages,
        long items,
        long errors,
        long failed) {
    public WorkerReport {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(state, "state");
    }
}
