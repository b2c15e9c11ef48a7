/** Slots (per domain or per IP), their concurrency limits and the delays between request starts. */
@NullMarked
package org.arachne.politeness;

import org.jspecify.annotations.NullMarked;
