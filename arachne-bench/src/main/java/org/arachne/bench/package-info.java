/**
 * JMH micro-benchmarks of the crawler's hot paths, one question per class, on pages of the shared
 * bench site; run them all with {@code bench/jmh}.
 */
@NullMarked
package org.arachne.bench;

import org.jspecify.annotations.NullMarked;
