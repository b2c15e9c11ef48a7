package org.arachne.frontier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arachne.item.Item;
import org.junit.jupiter.api.Test;

class ItemCodecTest {
    @Test
    void items_roundTripWithTheirFieldOrderAndValueTypes() throws IOException {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("title", "缘起 & café");
        fields.put("price", new BigDecimal("51.77"));
        fields.put("big", new BigInteger("123456789012345678901234567890"));
        fields.put("stock", 22);
        fields.put("ratio", 0.5f);
        fields.put("missing", null);
        fields.put("tags", List.of("a", 2L, true, Map.of("nested", List.of())));
        List<Item> items = List.of(Item.of(fields), Item.of("n", (short) 1, "b", (byte) 2));
        List<Item> back = ItemCodec.fromBytes(ItemCodec.toBytes(items));
        assertThat(back).isEqualTo(items);
        assertThat(back.getFirst().fields().keySet()).containsExactlyElementsOf(fields.keySet());
        assertThat(back.getFirst().get("stock")).isInstanceOf(Integer.class);
    }

    @Test
    void damagedBytes_areAnIOException() {
        byte[] bytes = ItemCodec.toBytes(List.of(Item.of("n", 1)));
        assertThatThrownBy(() -> ItemCodec.fromBytes(Arrays.copyOf(bytes, bytes.length - 2)))
                .isInstanceOf(IOException.class);
        bytes[0] = 9;
        assertThatThrownBy(() -> ItemCodec.fromBytes(bytes))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("format version 9");
    }
}
