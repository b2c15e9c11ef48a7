/**
 * The shared frontier in Redis: many worker processes crawl one crawl, with politeness, leases,
 * deduplication and the item stream kept together in Redis and changed only by Lua scripts.
 */
@NullMarked
package org.arachne.redis;

import org.jspecify.annotations.NullMarked;
