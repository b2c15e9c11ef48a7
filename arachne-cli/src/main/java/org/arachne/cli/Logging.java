package org.arachne.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.Locale;
import java.util.Set;
import org.slf4j.LoggerFactory;

/** Sets the level of the root logger; the CLI is the only module that binds Logback. */
final class Logging {
    private static final Set<String> LEVELS = Set.of("error", "warn", "info", "debug", "trace");

    private Logging() {}

    /**
     * Sets the root level; loggers configured in {@code logback.xml} (HttpClient's wire logs) keep
     * their own.
     *
     * @param source what gave the level, for the error message
     * @throws CliException (config) for an unknown level
     */
    static void setLevel(String level, String source) {
        String name = level.trim().toLowerCase(Locale.ROOT);
        if (!LEVELS.contains(name)) {
            throw CliException.config(
                    source
                            + ": unknown log level '"
                            + level
                            + "'; use error, warn, info, debug or"
                            + " trace");
        }
        if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
            root.setLevel(Level.toLevel(name));
        }
    }
}
