package org.arachne.middleware;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A {@link SlotReport} that keeps what the stages told it, for stage tests. */
final class RecordingSlot implements SlotReport {
    final List<Duration> crawlDelays = new ArrayList<>();
    final List<Duration> pauses = new ArrayList<>();

    @Override
    public void crawlDelay(Duration delay) {
        crawlDelays.add(delay);
    }

    @Override
    public void pause(Duration duration) {
        pauses.add(duration);
    }
}
