package org.arachne.politeness;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.arachne.frontier.Frontier;
import org.arachne.http.Request;

/**
 * The slot rules of Scrapy's settings: slots per domain, or per resolved IP when {@code
 * concurrent_requests_per_ip} is above 0, each with its concurrency limit and {@code
 * download_delay}, randomised to 0.5–1.5 times when {@code randomize_download_delay} is on, and
 * never below a slot's floor (its robots.txt {@code Crawl-delay}).
 */
public final class PolitenessPolicy implements Frontier.SlotPolicy {
    private final int perDomain;
    private final int perIp;
    private final Duration delay;
    private final boolean randomize;
    private final HostResolver resolver;
    private final ConcurrentHashMap<String, Duration> floors = new ConcurrentHashMap<>();

    public PolitenessPolicy(
            int perDomain, int perIp, Duration delay, boolean randomize, HostResolver resolver) {
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
    }

    @Override
    public String slotOf(Request request) {
        String host = request.host();
        return perIp > 0 ? resolver.resolve(host) : host;
    }

    @Override
    public int concurrency(String slot) {
        return perIp > 0 ? perIp : perDomain;
    }

    @Override
    public Duration delayAfterStart(String slot) {
        Duration result = delay;
        if (!delay.isZero() && randomize) {
            double factor = 0.5 + ThreadLocalRandom.current().nextDouble();
            result = Duration.ofNanos(Math.round(delay.toNanos() * factor));
        }
        Duration floor = floors.get(slot);
        return floor != null && floor.compareTo(result) > 0 ? floor : result;
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
