/** Selectors over a parsed page: XPath 1.0, CSS and regular expressions, and link extraction. */
@NullMarked
package org.arachne.select;

import org.jspecify.annotations.NullMarked;
