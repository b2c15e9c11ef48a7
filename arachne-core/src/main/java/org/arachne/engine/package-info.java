/** The engine that runs a crawl: settings, stats, lifecycle and the Crawler entry point. */
@NullMarked
package org.arachne.engine;

import org.jspecify.annotations.NullMarked;
