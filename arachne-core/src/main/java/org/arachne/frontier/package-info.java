/**
 * The frontier: deduplicated, prioritised, per-slot queues of requests, leased out under
 * politeness.
 */
@NullMarked
package org.arachne.frontier;

import org.jspecify.annotations.NullMarked;
