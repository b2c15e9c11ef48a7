package org.arachne.politeness;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.arachne.frontier.Frontier;
import org.arachne.http.HostResolver;
import org.arachne.http.Request;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The slot rules of Scrapy's settings: slots per domain, or per resolved IP when {@code
 * concurrent_requests_per_ip} is above 0, each with its concurrency limit and {@code
 * download_delay}, randomised to 0.5–1.5 times when {@code randomize_download_delay} is on, and
 * never below a slot's floor (its robots.txt {@code Crawl-delay}) nor its error backoff
 * (consecutive connection errors and timeouts double it, a response resets it); a {@code
 * Retry-After} pauses the whole slot.
 */
public final class PolitenessPolicy implements Frontier.SlotPolicy {
    private static final Logger LOG = LoggerFactory.getLogger(PolitenessPolicy.class);

    private final int perDomain;
    private final int perIp;
    private final Duration delay;
    private final boolean randomize;
    private final HostResolver resolver;
    private final ConcurrentHashMap<String, Duration> floors = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Long> pausedUntil = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Integer> errorStreaks = new ConcurrentHashMap<>();
    private final Duration backoffBase;
    private final Duration backoffMax;
    private final LongSupplier nanoClock;
    private final Map<String, SlotOverride> overrides;
    private final @Nullable AutoThrottle autoThrottle;
    private final Consumer<String> delayReasons;
    private final ConcurrentHashMap<String, String> lastReasons = new ConcurrentHashMap<>();

    /**
     * @param backoffBase the slot delay after the first connection error in a row; it doubles with
     *     each further error (with jitter), up to {@code backoffMax}
     * @param overrides {@code download_slots}: per-slot concurrency and delay, keyed by slot name
     * @param autoThrottle the adaptive delay, or null when {@code autothrottle_enabled} is off
     * @param delayReasons told, at every start with a delay, which signal set it: {@code
     *     download_delay}, {@code download_slots}, {@code autothrottle}, {@code crawl_delay} or
     *     {@code error_backoff}
     * @param nanoClock monotonic nanoseconds, {@link System#nanoTime} outside tests
     */
    public PolitenessPolicy(
            int perDomain,
            int perIp,
            Duration delay,
            boolean randomize,
            HostResolver resolver,
            Duration backoffBase,
            Duration backoffMax,
            Map<String, SlotOverride> overrides,
            @Nullable AutoThrottle autoThrottle,
            Consumer<String> delayReasons,
            LongSupplier nanoClock) {
        if (perDomain < 1) {
            throw new IllegalArgumentException(
                    "setting 'concurrent_requests_per_domain' must be at least 1, got "
                            + perDomain);
        }
        if (perIp < 0) {
            throw new IllegalArgumentException(
                    "setting 'concurrent_requests_per_ip' must be 0 or more, got " + perIp);
        }
        if (delay.isNegative()) {
            throw new IllegalArgumentException("setting 'download_delay' must not be negative");
        }
        this.perDomain = perDomain;
        this.perIp = perIp;
        this.delay = delay;
        this.randomize = randomize;
        this.resolver = resolver;
        this.backoffBase = backoffBase;
        this.backoffMax = backoffMax;
        this.nanoClock = nanoClock;
        this.overrides = Map.copyOf(overrides);
        this.autoThrottle = autoThrottle;
        this.delayReasons = delayReasons;
    }

    @Override
    public String slotOf(Request request) {
        String host = request.host();
        return perIp > 0 ? resolver.resolve(host) : host;
    }

    @Override
    public int concurrency(String slot) {
        SlotOverride override = overrides.get(slot);
        if (override != null && override.concurrency() != null) {
            return override.concurrency();
        }
        return perIp > 0 ? perIp : perDomain;
    }

    @Override
    public Duration delayAfterStart(String slot) {
        SlotOverride override = overrides.get(slot);
        boolean overridden = override != null && override.delay() != null;
        Duration base = overridden ? override.delay() : delay;
        boolean random =
                override != null && override.randomizeDelay() != null
                        ? override.randomizeDelay()
                        : randomize;
        Duration result = base;
        if (!base.isZero() && random) {
            double factor = 0.5 + ThreadLocalRandom.current().nextDouble();
            result = Duration.ofNanos(Math.round(base.toNanos() * factor));
        }
        String reason = overridden ? "download_slots" : "download_delay";
        if (autoThrottle != null) {
            Duration adaptive = autoThrottle.delay(slot);
            if (adaptive.compareTo(result) > 0) {
                result = adaptive;
                reason = "autothrottle";
            }
        }
        Duration floor = floors.get(slot);
        if (floor != null && floor.compareTo(result) > 0) {
            result = floor;
            reason = "crawl_delay";
        }
        Duration backoff = errorBackoff(slot);
        if (backoff.compareTo(result) > 0) {
            result = backoff;
            reason = "error_backoff";
        }
        if (!result.isZero()) {
            delayReasons.accept(reason);
            String previous = lastReasons.put(slot, reason);
            if (!reason.equals(previous)) {
                LOG.debug("slot {}: delay {} ms, set by {}", slot, result.toMillis(), reason);
            }
        }
        return result;
    }

    /** The error backoff of a slot: zero without errors in a row, else base × 2^(errors−1). */
    private Duration errorBackoff(String slot) {
        Integer streak = errorStreaks.get(slot);
        if (streak == null || streak == 0) {
            return Duration.ZERO;
        }
        long nanos = backoffBase.toNanos() << Math.min(streak - 1, 30);
        if (nanos <= 0 || nanos > backoffMax.toNanos()) {
            nanos = backoffMax.toNanos();
        }
        double jitter = 0.5 + ThreadLocalRandom.current().nextDouble();
        return Duration.ofNanos(Math.min(backoffMax.toNanos(), Math.round(nanos * jitter)));
    }

    @Override
    public Duration pauseRemaining(String slot) {
        Long until = pausedUntil.get(slot);
        if (until == null) {
            return Duration.ZERO;
        }
        long remaining = until - nanoClock.getAsLong();
        return remaining > 0 ? Duration.ofNanos(remaining) : Duration.ZERO;
    }

    /**
     * Pauses a whole slot (no request of it starts) for this long, as a {@code Retry-After} asks:
     * the server throttles the site, not one URL. A longer pause already in force is kept.
     */
    public void pause(String slot, Duration duration) {
        long until = nanoClock.getAsLong() + duration.toNanos();
        pausedUntil.merge(slot, until, Math::max);
    }

    /** A connection error or timeout on a slot: its delay backs off exponentially. */
    public void recordError(String slot) {
        errorStreaks.merge(slot, 1, Integer::sum);
    }

    /** A response from a slot: its error backoff ends, and AutoThrottle learns its latency. */
    public void recordResponse(String slot, Duration latency, int status) {
        if (autoThrottle != null) {
            autoThrottle.observe(slot, latency, status);
        }
        recordSuccess(slot);
    }

    private void recordSuccess(String slot) {
        if (errorStreaks.containsKey(slot)) {
            errorStreaks.remove(slot);
        }
    }

    @Override
    public Duration minimumDelay(String slot) {
        Duration floor = floors.get(slot);
        return floor == null ? Duration.ZERO : floor;
    }

    /**
     * Raises the least delay between starts in a slot (a robots.txt {@code Crawl-delay}); a slot
     * keeps the largest floor it was given, so one IP slot shared by several hosts honours the
     * strictest of them. Not randomised: it is a minimum.
     */
    public void raiseFloor(String slot, Duration floor) {
        floors.merge(slot, floor, (a, b) -> a.compareTo(b) >= 0 ? a : b);
    }
}
