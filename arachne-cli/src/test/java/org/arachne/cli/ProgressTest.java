package org.arachne.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProgressTest {
    private static final Progress.Counts COUNTS = new Progress.Counts(1234, 5678, 120, 16, 3);

    @Test
    void render_wideTerminal_showsEverythingWithCurrentAndAverageRates() {
        String line = Progress.render(Duration.ofSeconds(10), COUNTS, 200.04, 200);
        assertThat(line)
                .isEqualTo(
                        "0:10.0  1234 pages  200.0/s (avg 123.4/s)  5678 items  3 errors  120"
                                + " queued  16 in flight");
    }

    /** #9: the line was as long as its numbers made it, and wrapped on a narrow terminal. */
    @ParameterizedTest
    @CsvSource({
        "80, 0:10.0  1234 pages  200.0/s (avg 123.4/s)  5678 items  3 errors  120 queued",
        "60, 0:10.0  1234 pages  200.0/s (avg 123.4/s)  5678 items",
        "40, 0:10.0  1234 pages",
        "19, 0:10.0  1234 pages",
        "18, 0:10.0",
        "6, 0:10."
    })
    void render_leavesOffWhatDoesNotFitTheWidth_lastColumnFree(int width, String expected) {
        String line = Progress.render(Duration.ofSeconds(10), COUNTS, 200.04, width);
        assertThat(line).isEqualTo(expected).hasSizeLessThan(width);
    }

    @Test
    void rateWindow_currentRateLooksBackFiveSeconds_theAverageAtEverything() {
        Progress.RateWindow window = new Progress.RateWindow(Duration.ofSeconds(5));
        long s = 1_000_000_000L;
        assertThat(window.record(0, 0)).isZero();
        assertThat(window.record(s, 10)).isEqualTo(10.0);
        for (int i = 2; i <= 6; i++) {
            assertThat(window.record(i * s, i * 10L)).isEqualTo(10.0);
        }
        // a burst: 100 pages in the 7th second; the last 5 seconds (2 s to 7 s) went 140 pages
        assertThat(window.record(7 * s, 160)).isEqualTo(28.0);
        assertThat(Progress.render(Duration.ofSeconds(7), counts(160), 28.0, 80))
                .contains("160 pages  28.0/s (avg 22.9/s)");
        // a stall: nothing new for 5 seconds
        assertThat(window.record(12 * s, 160)).isZero();
    }

    @ParameterizedTest
    @CsvSource({"120, 120", "' 100 ', 100", "0, 80", "-5, 80", "wide, 80", "'', 80"})
    void width_isColumnsWhenItIsAPositiveNumber_else80(String columns, int expected) {
        assertThat(Progress.width(Map.of("COLUMNS", columns))).isEqualTo(expected);
        assertThat(Progress.width(Map.of())).isEqualTo(80);
    }

    /** #9: the terminal test looked at stdin and stdout (System.console()), not at stderr. */
    @ParameterizedTest
    @CsvSource({
        "/dev/pts/3, true",
        "/dev/tty1, true",
        "/dev/ttyS0, true",
        "/dev/tty, true",
        "/dev/console, true",
        "pipe:[123456], false",
        "socket:[99], false",
        "/dev/null, false",
        "/tmp/crawl.log, false",
        "/home/me/tty.log, false"
    })
    void isTerminalDevice_namesTerminalsOnly(String target, boolean terminal) {
        assertThat(Progress.isTerminalDevice(target)).isEqualTo(terminal);
    }

    private static Progress.Counts counts(long pages) {
        return new Progress.Counts(pages, 0, 0, 0, 0);
    }
}
