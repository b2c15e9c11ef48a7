/**
 * {@code arachne shell}: a JShell session with Arachne on its class path, a page loaded and helpers
 * to try selectors on it ({@link org.arachne.cli.shell.ShellContext} is what its snippets reach).
 */
@NullMarked
package org.arachne.cli.shell;

import org.jspecify.annotations.NullMarked;
