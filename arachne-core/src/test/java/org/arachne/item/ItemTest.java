package org.arachne.item;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ItemTest {

    @Test
    void of_jsonLikeValues_keepsThemInOrder() {
        Item item =
                Item.of(
                        "title",
                        "A Light in the Attic",
                        "price",
                        new BigDecimal("51.77"),
                        "stock",
                        22,
                        "tags",
                        List.of("poetry"),
                        "offers",
                        List.of(Map.of("price", 1.5)),
                        "missing",
                        null);

        assertThat(item.fields().keySet())
                .containsExactly("title", "price", "stock", "tags", "offers", "missing");
        assertThat(item.get("price")).isEqualTo(new BigDecimal("51.77"));
        assertThat(item.get("missing")).isNull();
    }

    @Test
    void of_valueNoExporterCanWrite_isRefused_namingTheFieldPathAndType() {
        List<Map<String, Object>> offers =
                List.of(Map.of("price", 1), Map.of("price", 2), Map.of("price", Instant.EPOCH));

        assertThatThrownBy(() -> Item.of("title", "t", "offers", offers))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(
                        "item field 'offers[2].price' holds a java.time.Instant; values must be");
    }

    @Test
    void everyWayToMakeAnItem_checksItsValues() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("at", Instant.EPOCH);

        assertThatThrownBy(() -> new Item(new LinkedHashMap<>(fields)))
                .hasMessageContaining("'at' holds a java.time.Instant");
        assertThatThrownBy(() -> Item.of(fields)).hasMessageContaining("'at'");
        assertThatThrownBy(() -> Item.of("n", 1).with("at", Instant.EPOCH))
                .hasMessageContaining("'at'");
    }

    @Test
    void item_isImmutable_evenWhenTheGivenListChangesLater() {
        List<Object> tags = new ArrayList<>(List.of("a"));
        Item item = Item.of("tags", tags);

        tags.add(Instant.EPOCH);

        assertThat(item.get("tags")).isEqualTo(List.of("a"));
        assertThatThrownBy(() -> item.fields().put("x", 1))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void with_addsAtTheEnd_andReplacesInPlace() {
        Item item = Item.of("a", 1, "b", 2);
        assertThat(item.with("c", 3).fields().keySet()).containsExactly("a", "b", "c");
        assertThat(item.with("a", 9).fields())
                .containsExactly(Map.entry("a", 9), Map.entry("b", 2));
    }
}
