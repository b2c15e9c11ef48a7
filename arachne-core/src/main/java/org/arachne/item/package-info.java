/** Items and the ordered pipelines they pass through. */
@NullMarked
package org.arachne.item;

import org.jspecify.annotations.NullMarked;
