/**
 * URLs and hosts as text: resolving links, the canonical form used for deduplication, and IP
 * literals; no DNS and no dependency on the rest of Arachne.
 */
@NullMarked
package org.arachne.url;

import org.jspecify.annotations.NullMarked;
