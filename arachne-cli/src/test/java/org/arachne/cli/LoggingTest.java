package org.arachne.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LoggingTest {
    /** #9: Scrapy's LOG_LEVEL names (upper case, WARNING, CRITICAL) were unknown levels. */
    @ParameterizedTest
    @CsvSource({
        "CRITICAL, ERROR",
        "ERROR, ERROR",
        "WARNING, WARN",
        "INFO, INFO",
        "DEBUG, DEBUG",
        "critical, ERROR",
        "error, ERROR",
        "warning, WARN",
        "warn, WARN",
        "Info, INFO",
        "debug, DEBUG",
        "trace, TRACE",
        "' warn ', WARN"
    })
    void level_acceptsArachnesAndScrapysNamesInAnyCase(String name, String expected) {
        assertThat(Logging.level(name, "--log-level")).isEqualTo(Level.toLevel(expected));
    }

    @Test
    void level_unknownName_isAConfigErrorNamingItsSource() {
        assertThatThrownBy(() -> Logging.level("loud", "--log-level"))
                .isInstanceOfSatisfying(
                        CliException.class,
                        e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.CONFIG))
                .hasMessageContaining("--log-level: unknown log level 'loud'");
    }
}
