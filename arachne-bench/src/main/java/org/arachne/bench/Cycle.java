package org.arachne.bench;

import java.util.List;

/**
 * Hands out prepared inputs (pages, URLs, items) round-robin, one per benchmark call, so a per-page
 * figure is the mean over all pages rather than the cost of one page that stays hot in the caches.
 * Not thread-safe: keep one per thread-scoped state.
 */
final class Cycle<T> {
    private final List<T> inputs;
    private int next;

    Cycle(List<T> inputs) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("no inputs to cycle through");
        }
        this.inputs = List.copyOf(inputs);
    }

    T next() {
        T input = inputs.get(next);
        next = next + 1 == inputs.size() ? 0 : next + 1;
        return input;
    }
}
