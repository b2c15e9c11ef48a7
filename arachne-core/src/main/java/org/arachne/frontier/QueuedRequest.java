package org.arachne.frontier;

import org.arachne.http.Request;

/** A request waiting in a frontier: its slot and its place in the crawl order. */
final class QueuedRequest {
    final Request request;
    final String slot;

    /** Order of arrival in its slot's queue; breaks ties between equal priority and depth. */
    long sequence;

    /** For a retried request: not to be started before this time. */
    long notBeforeNanos;

    QueuedRequest(Request request, String slot) {
        this.request = request;
        this.slot = slot;
    }

    long notBeforeNanos() {
        return notBeforeNanos;
    }
}
