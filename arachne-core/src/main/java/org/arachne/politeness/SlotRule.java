package org.arachne.politeness;

import java.time.Duration;
import java.util.Objects;

/**
 * The fixed rules of one slot, from the settings: how many of its requests may be in flight, and
 * the delay between two starts.
 *
 * @param concurrency leases of the slot that may be out at once, at least 1
 * @param delay the gap between starts ({@code download_delay} or the slot's own)
 * @param randomizeDelay whether the gap is drawn between 0.5 and 1.5 times {@code delay}
 * @param fromSlotSettings whether {@code delay} comes from {@code download_slots} rather than
 *     {@code download_delay} (it is then counted under that name)
 * @param local whether the slot's requests reach no server ({@code data:} URLs, answered from
 *     themselves): no gap is kept between their starts, whatever the delays and AutoThrottle say
 */
public record SlotRule(
        int concurrency,
        Duration delay,
        boolean randomizeDelay,
        boolean fromSlotSettings,
        boolean local) {
    public SlotRule {
        Objects.requireNonNull(delay, "delay");
        if (concurrency < 1) {
            throw new IllegalArgumentException("slot concurrency must be at least 1");
        }
        if (delay.isNegative()) {
            throw new IllegalArgumentException("slot delay must not be negative");
        }
    }

    /** The rule of a slot whose requests reach a server. */
    public SlotRule(
            int concurrency, Duration delay, boolean randomizeDelay, boolean fromSlotSettings) {
        this(concurrency, delay, randomizeDelay, fromSlotSettings, false);
    }
}
