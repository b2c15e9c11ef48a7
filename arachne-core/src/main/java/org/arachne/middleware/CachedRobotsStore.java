package org.arachne.middleware;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.arachne.frontier.RobotsTxtRecord;
import org.jspecify.annotations.Nullable;

/**
 * The in-process {@link RobotsStore}: a Caffeine cache of at most {@link #MAX_ORIGINS} origins,
 * each kept for {@link #EXPIRY} after it was written (RFC 9309's 24 hours; an entry restored from
 * an earlier run for what is left of them), least recently used first out beyond the bound. An
 * origin that falls out is simply fetched again (or read again from the job dir).
 */
public final class CachedRobotsStore implements RobotsStore {
    /** How long what was learned of an origin is kept: as long as a job dir uses it. */
    public static final Duration EXPIRY = RobotsTxtRecord.LIFETIME;

    /** How many origins are kept at most. */
    public static final int MAX_ORIGINS = 100_000;

    /** An entry and how long it is kept from when it was written. */
    private record Held(Entry entry, Duration keepFor) {}

    private final Cache<String, Held> origins;

    /**
     * @param nanoClock the crawl's monotonic clock, for expiry
     */
    public CachedRobotsStore(LongSupplier nanoClock) {
        this.origins =
                Caffeine.newBuilder()
                        .ticker(nanoClock::getAsLong)
                        .executor(Runnable::run)
                        .expireAfter(Expiry.writing((String origin, Held held) -> held.keepFor()))
                        .maximumSize(MAX_ORIGINS)
                        .build();
    }

    @Override
    public @Nullable Entry get(String origin) {
        Held held = origins.getIfPresent(origin);
        return held == null ? null : held.entry();
    }

    @Override
    public boolean claim(String origin, long nowNanos, Duration stalePending) {
        AtomicBoolean claimed = new AtomicBoolean();
        origins.asMap()
                .compute(
                        origin,
                        (key, current) -> {
                            boolean stale =
                                    current != null
                                            && current.entry() instanceof Pending p
                                            && nowNanos - p.sinceNanos() >= stalePending.toNanos();
                            if (current == null || stale) {
                                claimed.set(true);
                                return new Held(new Pending(nowNanos), EXPIRY);
                            }
                            return current;
                        });
        return claimed.get();
    }

    @Override
    public void put(String origin, Entry entry) {
        origins.put(origin, new Held(entry, EXPIRY));
    }

    @Override
    public boolean restore(String origin, Known known, Duration keepFor) {
        if (!keepFor.isPositive()) {
            return false;
        }
        AtomicBoolean restored = new AtomicBoolean();
        origins.asMap()
                .compute(
                        origin,
                        (key, current) -> {
                            if (current == null || current.entry() instanceof Pending) {
                                restored.set(true);
                                return new Held(known, keepFor);
                            }
                            return current;
                        });
        return restored.get();
    }
}
