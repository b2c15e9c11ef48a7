package org.arachne.frontier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.arachne.http.Request;
import org.arachne.item.Item;
import org.arachne.politeness.SlotSignals;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A process killed with SIGKILL while its {@link SqliteFrontier} is open: while it lives a second
 * open is refused; once it is dead the OS has dropped its lock and the job dir resumes with what
 * the process had committed, no more and no less (see {@link SqliteFrontierChild} for what it did).
 */
@Timeout(120)
class SqliteFrontierKillIT {
    @TempDir Path jobDir;

    @ParameterizedTest
    @ValueSource(strings = {"exact", "bloom"})
    void killedProcess_resumesFromItsLastCommits(String dedup) throws Exception {
        Path errors = jobDir.resolveSibling(jobDir.getFileName() + "-child.log");
        Process child =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "--enable-native-access=ALL-UNNAMED",
                                "-cp",
                                System.getProperty("java.class.path"),
                                SqliteFrontierChild.class.getName(),
                                jobDir.toString(),
                                dedup)
                        .redirectError(errors.toFile())
                        .start();
        try {
            CompletableFuture<Boolean> ready = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> ready.complete(readsReady(child)));
            assertThat(ready.get(60, TimeUnit.SECONDS))
                    .as("the child got ready; its errors: %s", errorsOf(errors))
                    .isTrue();
            FrontierSetup setup = SqliteFrontierChild.setup(dedup.equals("bloom"));
            assertThatThrownBy(() -> SqliteFrontier.open(jobDir, setup))
                    .isInstanceOf(FrontierException.class)
                    .hasMessageContaining("in use by another crawl (process " + child.pid() + ")");
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no close
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);

        try (SqliteFrontier f =
                SqliteFrontier.open(jobDir, SqliteFrontierChild.setup(dedup.equals("bloom")))) {
            assertThat(f.opening()).isEqualTo(Opening.RESUMED);
            assertThat(f.restoredCounters()).isEqualTo(Map.of("item_scraped_count", 1L));
            List<CommittedItems> again = f.outbox().poll(10, Duration.ZERO);
            assertThat(again)
                    .as("the batch taken but not acknowledged, once")
                    .singleElement()
                    .satisfies(b -> assertThat(b.items()).containsExactly(Item.of("page", 2)));
            List<Request> everything = new ArrayList<>();
            for (int n = 1; n <= 11; n++) {
                everything.add(Request.get(SqliteFrontierChild.url(n)));
            }
            assertThat(f.add(everything)).as("all seen before the kill").isZero();
            assertThat(f.queuedCount()).as("3 to 11, the retried 4 among them").isEqualTo(9);
            List<String> taken = new ArrayList<>();
            for (Lease l = f.take(Duration.ZERO); l != null; l = f.take(Duration.ZERO)) {
                taken.add(l.request().url());
                f.done(l, List.of(), List.of(), SlotSignals.NONE);
            }
            assertThat(taken)
                    .as("the lease out at the kill first, then the queue; 4 waits its hour")
                    .containsExactly(
                            SqliteFrontierChild.url(3),
                            SqliteFrontierChild.url(5),
                            SqliteFrontierChild.url(6),
                            SqliteFrontierChild.url(7),
                            SqliteFrontierChild.url(8),
                            SqliteFrontierChild.url(9),
                            SqliteFrontierChild.url(10),
                            SqliteFrontierChild.url(11));
            assertThat(f.queuedCount()).isEqualTo(1);
        }
    }

    private static boolean readsReady(Process child) {
        try (BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.equals("READY")) {
                    return true;
                }
            }
            return false;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static String errorsOf(Path log) throws java.io.IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }
}
