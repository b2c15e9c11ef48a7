/** Helpers for Arachne's own use only; not part of the API. */
@NullMarked
package org.arachne.internal;

import org.jspecify.annotations.NullMarked;
