/**
 * A local multi-host HTTP site for the demo, tests and benchmarks: generated book pages,
 * robots.txt, a manifest of expected results, and per-host request recording for politeness
 * assertions.
 */
@NullMarked
package org.arachne.sandbox;

import org.jspecify.annotations.NullMarked;
