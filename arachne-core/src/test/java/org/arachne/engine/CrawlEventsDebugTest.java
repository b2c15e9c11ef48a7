package org.arachne.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.arachne.item.Item;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pieces of the debug lines of {@link CrawlEvents}: sizes and shortened items. */
class CrawlEventsDebugTest {
    @ParameterizedTest
    @CsvSource({
        "0, 0 B",
        "1023, 1023 B",
        "1024, 1 KiB",
        "18500, 18 KiB",
        "1048576, 1.0 MiB",
        "2621440, 2.5 MiB"
    })
    void size_readsAsPeopleWriteIt(long bytes, String expected) {
        assertThat(CrawlEvents.size(bytes)).isEqualTo(expected);
    }

    @Test
    void shortened_longItem_isCutAndItsUrlCredentialsMasked() {
        Item item = Item.of("url", "http://user:secret@a.test/", "text", "x".repeat(1000));

        String text = CrawlEvents.shortened(item);

        assertThat(text).doesNotContain("secret").endsWith("…");
        assertThat(text.length()).isLessThanOrEqualTo(CrawlEvents.ITEM_TEXT_MAX + 1);
    }
}
