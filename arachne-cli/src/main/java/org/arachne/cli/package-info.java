/**
 * The {@code arachne} command line: one picocli class per subcommand under {@link ArachneCommand}.
 */
@NullMarked
package org.arachne.cli;

import org.jspecify.annotations.NullMarked;
