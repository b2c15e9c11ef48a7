package org.arachne.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestTest {

    @Test
    void meta_thatCannotBeStored_isRefused_namingTheKeyAndUrl() {
        Request r = Request.get("http://a.test/p");
        assertThatThrownBy(() -> r.withMeta("when", Instant.EPOCH))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("meta 'when' of http://a.test/p holds a java.time.Instant");
        assertThatThrownBy(() -> r.withMeta("nested", List.of(Map.of("k", new Object()))))
                .hasMessageContaining(
                        "meta 'nested[0].k' of http://a.test/p holds a java.lang.Object");
        assertThatThrownBy(() -> r.withMeta("keys", Map.of(1, "one")))
                .hasMessageContaining("java.lang.Integer");
    }

    @Test
    void meta_ofJsonLikeValues_isKept() {
        Request r =
                Request.get("http://a.test/p")
                        .withMeta("list", List.of("a", 1, 2L, 0.5, true))
                        .withMeta("map", Map.of("k", List.of()));
        assertThat(r.meta()).containsKeys("list", "map");
    }
}
