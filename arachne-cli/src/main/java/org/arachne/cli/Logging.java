package org.arachne.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.arachne.engine.Setting;
import org.slf4j.LoggerFactory;

/** Sets the level of the root logger; the CLI is the only module that binds Logback. */
final class Logging {
    private Logging() {}

    /**
     * Sets the root level; loggers configured in {@code logback.xml} (HttpClient's wire logs) keep
     * their own. The names are those of the {@code log_level} setting, in any case, Scrapy's {@code
     * LOG_LEVEL} spellings included ({@code WARNING}, {@code CRITICAL}).
     *
     * @param source what gave the level, for the error message
     * @throws CliException (config) for an unknown level
     */
    static void setLevel(String level, String source) {
        Level logback = level(level, source);
        if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
            root.setLevel(logback);
        }
    }

    /**
     * The Logback level of a {@code log_level} name: {@code critical} is {@code error} (Logback has
     * nothing above it), {@code warning} is {@code warn}.
     *
     * @throws CliException (config) for an unknown level
     */
    static Level level(String level, String source) {
        String name;
        try {
            name = Setting.LOG_LEVEL.parse(level);
        } catch (IllegalArgumentException e) {
            throw CliException.config(
                    source
                            + ": unknown log level '"
                            + level
                            + "'; use error, warn, info, debug or trace (Scrapy's CRITICAL and"
                            + " WARNING too)");
        }
        return switch (name) {
            case "critical", "error" -> Level.ERROR;
            case "warning", "warn" -> Level.WARN;
            case "info" -> Level.INFO;
            case "debug" -> Level.DEBUG;
            case "trace" -> Level.TRACE;
            default -> throw new IllegalStateException("log_level accepts '" + name + "'");
        };
    }
}
