package org.arachne.politeness;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.arachne.http.Request;
import org.arachne.url.Urls;

/**
 * Which slot a request belongs to and the fixed rules of every slot, as Scrapy's settings define
 * them: one slot per domain, or per resolved IP address when {@code concurrent_requests_per_ip} is
 * above 0, each with the crawl's concurrency and delay unless {@code download_slots} names it.
 * Immutable and thread-safe; a value the frontier reads, never calls back into under its lock
 * except for {@link #slotOf}, which frontiers call before they take it.
 */
public final class SlotRules {
    private final int perIp;
    private final UnaryOperator<String> hostToAddress;
    private final SlotRule standard;
    private final Map<String, SlotRule> named;

    /**
     * @param perDomain {@code concurrent_requests_per_domain}
     * @param perIp {@code concurrent_requests_per_ip}: 0 for slots per domain
     * @param delay {@code download_delay}
     * @param randomize {@code randomize_download_delay}
     * @param overrides {@code download_slots}, keyed by slot name
     * @param hostToAddress resolves a host to the IP address text that names its slot when slots
     *     are per IP (the host itself when it does not resolve)
     */
    public SlotRules(
            int perDomain,
            int perIp,
            Duration delay,
            boolean randomize,
            Map<String, SlotOverride> overrides,
            UnaryOperator<String> hostToAddress) {
        this.perIp = perIp;
        this.hostToAddress = hostToAddress;
        this.standard = new SlotRule(perIp > 0 ? perIp : perDomain, delay, randomize, false);
        Map<String, SlotRule> rules = new HashMap<>();
        overrides.forEach(
                (slot, o) ->
                        rules.put(
                                slot,
                                new SlotRule(
                                        o.concurrency() != null
                                                ? o.concurrency()
                                                : standard.concurrency(),
                                        o.delay() != null ? o.delay() : delay,
                                        o.randomizeDelay() != null ? o.randomizeDelay() : randomize,
                                        o.delay() != null)));
        this.named = Map.copyOf(rules);
    }

    /**
     * One slot per host, no limit on concurrency, no delay: a frontier as a plain ordered and
     * deduplicated queue, for tools and benchmarks.
     */
    public static SlotRules perHostUnlimited() {
        return new SlotRules(
                Integer.MAX_VALUE, 0, Duration.ZERO, false, Map.of(), UnaryOperator.identity());
    }

    /**
     * The one slot of every {@code data:} request: they reach no server, so its rule keeps no delay
     * and no concurrency limit but the crawl's ({@code concurrent_requests}). No host can take this
     * name, which holds a colon outside brackets.
     */
    public static final String DATA_SLOT = "data:";

    private static final SlotRule DATA_RULE =
            new SlotRule(Integer.MAX_VALUE, Duration.ZERO, false, false, true);

    /**
     * The slot of a request: its host, or its IP address when slots are per IP (may resolve);
     * {@link #DATA_SLOT} for a {@code data:} URL.
     */
    public String slotOf(Request request) {
        if (Urls.isData(request.url())) {
            return DATA_SLOT;
        }
        String host = request.host();
        return perIp > 0 ? hostToAddress.apply(host) : host;
    }

    /**
     * The rules of a slot: its {@code download_slots} entry, else the crawl's; the {@link
     * #DATA_SLOT}'s are fixed.
     */
    public SlotRule ruleOf(String slot) {
        if (slot.equals(DATA_SLOT)) {
            return DATA_RULE;
        }
        SlotRule rule = named.get(slot);
        return rule != null ? rule : standard;
    }
}
