package org.arachne.item;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ItemContextTest {
    private static final String FINGERPRINT = "0123456789abcdef0123456789abcdef";

    @Test
    void itemId_isTheFingerprintAndTheIndex() {
        assertThat(new ItemContext(FINGERPRINT, 7, "http://a.test/").itemId())
                .isEqualTo(FINGERPRINT + "-7");
    }

    @Test
    void negativeIndex_isRefusedNamingIt() {
        assertThatThrownBy(() -> new ItemContext(FINGERPRINT, -1, "http://a.test/"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }
}
