/** Helpers shared by core's tests. */
@NullMarked
package org.arachne.testing;

import org.jspecify.annotations.NullMarked;
