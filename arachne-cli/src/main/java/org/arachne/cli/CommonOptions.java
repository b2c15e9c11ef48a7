package org.arachne.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.arachne.engine.Setting;
import org.arachne.engine.Settings;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** Options every command that talks to servers shares: settings and the log level. */
final class CommonOptions {
    @Option(
            names = "-s",
            paramLabel = "KEY=VALUE",
            description =
                    "Set a setting (Scrapy's names, e.g. -s concurrent_requests=32); repeatable."
                            + " Overrides the spider's own settings.")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(
            names = "--log-level",
            paramLabel = "LEVEL",
            description =
                    "error, warn, info, debug or trace, any case, Scrapy's WARNING and CRITICAL too"
                            + " (default: the log_level setting, else info; for fetch and"
                            + " parse, warn).")
    @Nullable String logLevel;

    /**
     * The {@code -s} settings, checked against the known settings.
     *
     * @throws CliException (config) for an unknown key, naming the closest known one
     */
    Map<String, String> checkedSettings() {
        try {
            Settings.defaults().with(settings);
        } catch (IllegalArgumentException e) {
            throw CliException.config("-s: " + e.getMessage());
        }
        return settings;
    }

    /**
     * Applies the log level: {@code --log-level}, else the {@code log_level} setting in force.
     *
     * @throws CliException (config) for an unknown level
     */
    void applyLogLevel(Settings inForce) {
        applyLogLevel(inForce, inForce.get(Setting.LOG_LEVEL));
    }

    /**
     * Applies the log level: {@code --log-level}, else the {@code log_level} setting when one was
     * set, else {@code fallback} ({@code fetch} and {@code parse} print their result, so their
     * crawl of one request logs only what went wrong).
     *
     * @throws CliException (config) for an unknown level
     */
    void applyLogLevel(Settings inForce, String fallback) {
        if (logLevel != null) {
            Logging.setLevel(logLevel, "--log-level");
        } else if (inForce.overrides().containsKey(Setting.LOG_LEVEL.key())) {
            Logging.setLevel(inForce.get(Setting.LOG_LEVEL), "setting 'log_level'");
        } else {
            Logging.setLevel(fallback, "the default log level");
        }
    }
}
