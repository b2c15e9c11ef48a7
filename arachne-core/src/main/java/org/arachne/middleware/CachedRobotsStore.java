package org.arachne.middleware;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The in-process {@link RobotsStore}: a Caffeine cache of at most {@link #MAX_ORIGINS} origins,
 * each kept for {@link #EXPIRY} after it was written (RFC 9309's 24 hours), least recently used
 * first out beyond the bound. An origin that falls out is simply fetched again.
 */
public final class CachedRobotsStore implements RobotsStore {
    /** How long what was learned of an origin is kept. */
    public static final Duration EXPIRY = Duration.ofHours(24);

    /** How many origins are kept at most. */
    public static final int MAX_ORIGINS = 100_000;

    private final Cache<String, Entry> origins;

    /**
     * @param nanoClock the crawl's monotonic clock, for expiry
     */
    public CachedRobotsStore(LongSupplier nanoClock) {
        this.origins =
                Caffeine.newBuilder()
                        .ticker(nanoClock::getAsLong)
                        .executor(Runnable::run)
                        .expireAfterWrite(EXPIRY)
                        .maximumSize(MAX_ORIGINS)
                        .build();
    }

    @Override
    public @Nullable Entry get(String origin) {
        return origins.getIfPresent(origin);
    }

    @Override
    public boolean claim(String origin, long nowNanos, Duration stalePending) {
        AtomicBoolean claimed = new AtomicBoolean();
        origins.asMap()
                .compute(
                        origin,
                        (key, current) -> {
                            boolean stale =
                                    current instanceof Pending p
                                            && nowNanos - p.sinceNanos() >= stalePending.toNanos();
                            if (current == null || stale) {
                                claimed.set(true);
                                return new Pending(nowNanos);
                            }
                            return current;
                        });
        return claimed.get();
    }

    @Override
    public void put(String origin, Entry entry) {
        origins.put(origin, entry);
    }
}
