package org.arachne.item;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecordItemTest {

    enum Binding {
        HARDCOVER,
        PAPERBACK
    }

    record Author(String name, int born) {}

    record Book(
            String title,
            BigDecimal price,
            Author author,
            List<String> tags,
            Map<String, Integer> stock,
            Optional<String> subtitle,
            OptionalInt pages,
            Binding binding,
            LocalDate published,
            Instant seen,
            Duration readingTime,
            URI link,
            char grade,
            int[] ratings,
            Set<Author> translators) {}

    record Holder(Object value) {}

    record Outer(List<Holder> holders) {}

    @Test
    void fromRecord_componentsInDeclarationOrder_asJsonLikeValues() {
        Map<String, Integer> stock = new LinkedHashMap<>();
        stock.put("paris", 2);
        stock.put("lyon", 0);
        Book book =
                new Book(
                        "Dune",
                        new BigDecimal("9.50"),
                        new Author("Herbert", 1920),
                        List.of("sf", "classic"),
                        stock,
                        Optional.empty(),
                        OptionalInt.of(412),
                        Binding.PAPERBACK,
                        LocalDate.of(1965, 8, 1),
                        Instant.parse("2026-12-01T10:15:30Z"),
                        Duration.ofMinutes(90),
                        URI.create("http://a.test/dune"),
                        'A',
                        new int[] {5, 4},
                        Set.of(new Author("Zimmer", 1931)));

        Item item = Item.fromRecord(book);

        assertThat(item.fields().keySet())
                .containsExactly(
                        "title",
                        "price",
                        "author",
                        "tags",
                        "stock",
                        "subtitle",
                        "pages",
                        "binding",
                        "published",
                        "seen",
                        "readingTime",
                        "link",
                        "grade",
                        "ratings",
                        "translators");
        assertThat(item.fields())
                .containsEntry("title", "Dune")
                .containsEntry("price", new BigDecimal("9.50"))
                .containsEntry("author", Map.of("name", "Herbert", "born", 1920))
                .containsEntry("tags", List.of("sf", "classic"))
                .containsEntry("stock", Map.of("paris", 2, "lyon", 0))
                .containsEntry("subtitle", null)
                .containsEntry("pages", 412)
                .containsEntry("binding", "PAPERBACK")
                .containsEntry("published", "1965-08-01")
                .containsEntry("seen", "2026-12-01T10:15:30Z")
                .containsEntry("readingTime", "PT1H30M")
                .containsEntry("link", "http://a.test/dune")
                .containsEntry("grade", "A")
                .containsEntry("ratings", List.of(5, 4))
                .containsEntry("translators", List.of(Map.of("name", "Zimmer", "born", 1931)));
        @SuppressWarnings("unchecked")
        Map<String, Object> author = (Map<String, Object>) item.get("author");
        assertThat(author.keySet()).containsExactly("name", "born");
    }

    record Listing(String page, List<Item> offers) {}

    @Test
    void fromRecord_itemsInside_areTheirFields() {
        Item item =
                Item.fromRecord(
                        new Listing("p1", List.of(Item.of("price", 3), Item.of("price", 4))));

        assertThat(item)
                .isEqualTo(
                        Item.of(
                                "page",
                                "p1",
                                "offers",
                                List.of(Map.of("price", 3), Map.of("price", 4))));
    }

    @Test
    void fromRecord_equalsTheItemOfTheSameFields() {
        assertThat(Item.fromRecord(new Author("Herbert", 1920)))
                .isEqualTo(Item.of("name", "Herbert", "born", 1920));
    }

    @Test
    void fromRecord_valueWithNoItemForm_namesTheRecordAndTheComponent() {
        assertThatThrownBy(() -> Item.fromRecord(new Holder(new Object())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("record " + Holder.class.getName() + ", component value")
                .hasMessageContaining("java.lang.Object");
        assertThatThrownBy(() -> Item.fromRecord(new Outer(List.of(new Holder(Thread.class)))))
                .hasMessageContaining("record " + Holder.class.getName() + ", component value")
                .hasMessageContaining("at holders[0].value");
        assertThatThrownBy(() -> Item.fromRecord(new Holder(Map.of(1, "one"))))
                .hasMessageContaining("a map key that is not a string or an enum");
    }
}
