package org.arachne.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.arachne.frontier.Ending;
import org.arachne.frontier.Frontier;
import org.arachne.frontier.ItemOutbox;
import org.arachne.frontier.Lease;
import org.arachne.frontier.Opening;
import org.arachne.http.Request;
import org.arachne.item.Item;
import org.arachne.politeness.SlotSignals;
import org.jspecify.annotations.Nullable;

/**
 * A frontier that queues nothing and records how each lease ended (done, retry or fail, with their
 * arguments and signals), the requests added and the leases started, for tests of the lease
 * handler. It can be told to throw on, or to answer lease-lost to, the next ending.
 */
final class RecordingFrontier implements Frontier {

    /** One ending the frontier answered. */
    sealed interface Call {
        Lease lease();

        SlotSignals signals();
    }

    record Done(Lease lease, List<Request> produced, List<Item> items, SlotSignals signals)
            implements Call {}

    record Retry(Lease lease, Request request, Duration delay, String reason, SlotSignals signals)
            implements Call {}

    record Fail(Lease lease, String reason, SlotSignals signals) implements Call {}

    /** Endings answered (accepted or lease-lost), in order; thrown ones are not in it. */
    final List<Call> endings = new CopyOnWriteArrayList<>();

    /** Requests queued with {@link #add}, in order. */
    final List<Request> added = new CopyOnWriteArrayList<>();

    /** Leases whose request was said to be sent. */
    final List<Lease> started = new CopyOnWriteArrayList<>();

    /** Ending calls that threw. */
    final AtomicInteger thrown = new AtomicInteger();

    private final AtomicInteger leases = new AtomicInteger();
    private final Queue<RuntimeException> throwNext = new ConcurrentLinkedQueue<>();
    private final AtomicReference<@Nullable Ending> answerNext = new AtomicReference<>();
    private final AtomicReference<@Nullable Runnable> duringNext = new AtomicReference<>();
    private final java.util.Set<String> ended = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** A lease of the request, on its host's slot, as {@code take} would give it. */
    Lease lease(Request request) {
        return new Lease(
                "lease-" + leases.incrementAndGet(),
                request,
                request.host(),
                Instant.parse("2026-01-01T00:05:00Z"));
    }

    /** The next ending throws this instead of being stored; called twice, the next two throw. */
    void throwOnNextEnding(RuntimeException e) {
        throwNext.add(e);
    }

    /** The next ending is answered so (lease-lost, say) instead of being accepted. */
    void answerNextEnding(Ending ending) {
        answerNext.set(ending);
    }

    /** The one ending of the lease; fails unless it was ended exactly once. */
    Call endingOf(Lease lease) {
        List<Call> ofLease =
                endings.stream().filter(c -> c.lease().token().equals(lease.token())).toList();
        assertThat(ofLease).as("endings of %s", lease.request().url()).hasSize(1);
        return ofLease.getFirst();
    }

    /** The one ending of the lease, which must be of this kind. */
    <T extends Call> T endingOf(Lease lease, Class<T> kind) {
        Call call = endingOf(lease);
        assertThat(call).isInstanceOf(kind);
        return kind.cast(call);
    }

    /**
     * Runs {@code action} inside the next ending, once the lease is no longer in force (as another
     * thread would see it: a renewal then finds no lease).
     */
    void duringNextEnding(Runnable action) {
        duringNext.set(action);
    }

    private Ending answer(Call call, int queued) {
        ended.add(call.lease().token());
        Runnable during = duringNext.getAndSet(null);
        if (during != null) {
            during.run();
        }
        RuntimeException failure = throwNext.poll();
        if (failure != null) {
            thrown.incrementAndGet();
            throw failure;
        }
        endings.add(call);
        Ending scripted = answerNext.getAndSet(null);
        return scripted != null ? scripted : Ending.accepted(queued);
    }

    @Override
    public Opening opening() {
        return Opening.FRESH;
    }

    @Override
    public int add(List<Request> requests) {
        added.addAll(requests);
        return requests.size();
    }

    @Override
    public @Nullable Lease take(Duration maxWait) {
        return null;
    }

    @Override
    public void started(Lease lease) {
        started.add(lease);
    }

    @Override
    public Ending done(Lease lease, List<Request> produced, List<Item> items, SlotSignals signals) {
        return answer(
                new Done(lease, List.copyOf(produced), List.copyOf(items), signals),
                produced.size());
    }

    @Override
    public Ending retry(
            Lease lease, Request request, Duration delay, String reason, SlotSignals signals) {
        return answer(new Retry(lease, request, delay, reason, signals), 0);
    }

    @Override
    public Ending fail(Lease lease, String reason, SlotSignals signals) {
        return answer(new Fail(lease, reason, signals), 0);
    }

    /** Extends the lease by a minute. */
    @Override
    public @Nullable Lease renew(Lease lease) {
        if (ended.contains(lease.token())) {
            return null;
        }
        return lease.withDeadline(lease.deadline().plusSeconds(60));
    }

    @Override
    public ItemOutbox outbox() {
        throw new UnsupportedOperationException("the lease handler never reads the outbox");
    }

    @Override
    public boolean isFinished() {
        return false;
    }

    @Override
    public boolean awaitFinished(Duration timeout) {
        return false;
    }

    @Override
    public long queuedCount() {
        return 0;
    }

    @Override
    public int leasedCount() {
        return 0;
    }

    @Override
    public void wakeUp() {}

    @Override
    public void close() {}
}
