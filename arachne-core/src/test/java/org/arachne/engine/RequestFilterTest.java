package org.arachne.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.arachne.http.Request;
import org.arachne.middleware.OffsiteFilter;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What is dropped before the frontier, and under which counter. */
class RequestFilterTest {
    private static final String BASE = "http://a.test/"; // 14 characters

    @ParameterizedTest
    @CsvSource({
        // URL length, depth, kept, counter (url_length_limit 80, depth_limit 3)
        "20, 1, true, ",
        "80, 1, true, ",
        "81, 1, false, urllength/request_ignored_count",
        "20, 3, true, ",
        "20, 4, false, depth/filtered",
        "5000, 9, false, urllength/request_ignored_count",
    })
    void apply_dropsLongUrlsAndDeepRequests_countingEach(
            int length, int depth, boolean kept, @Nullable String counter) {
        Stats stats = new Stats();
        RequestFilter filter = new RequestFilter(new OffsiteFilter(List.of()), 3, 80, stats);
        Request request = Request.get(BASE + "p".repeat(length - BASE.length())).withDepth(depth);

        List<Request> result = filter.apply(List.of(request));

        assertThat(result).hasSize(kept ? 1 : 0);
        if (counter != null) {
            assertThat(stats.get(counter)).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @CsvSource({"0", "2083"})
    void apply_withoutALimitOrUnderIt_keepsALongUrl(int limit) {
        RequestFilter filter =
                new RequestFilter(new OffsiteFilter(List.of()), 0, limit, new Stats());
        Request request = Request.get(BASE + "p".repeat(2000));

        assertThat(filter.apply(List.of(request))).containsExactly(request);
    }
}
