/** Exporters that write items to JSON Lines, JSON and CSV files. */
@NullMarked
package org.arachne.item.export;

import org.jspecify.annotations.NullMarked;
