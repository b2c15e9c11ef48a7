package org.arachne.item.export;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.arachne.item.Item;
import org.jspecify.annotations.Nullable;

/**
 * A JSON or JSON Lines feed that writes only its {@link Feed#fields() fields}, in their order, as
 * Scrapy's {@code FEED_EXPORT_FIELDS} does: a field the item lacks is left out of its record (not
 * written as null), a field not listed is left out and named by {@link #leftOut}.
 */
final class SelectedFields implements Exporter {
    private final List<String> fields;
    private final Set<String> fieldSet;
    private final Exporter exporter;

    SelectedFields(List<String> fields, Exporter exporter) {
        this.fields = List.copyOf(fields);
        this.fieldSet = Set.copyOf(fields);
        this.exporter = exporter;
    }

    @Override
    public void export(Item item) throws IOException {
        Map<String, @Nullable Object> selected = new LinkedHashMap<>();
        for (String field : fields) {
            if (item.fields().containsKey(field)) {
                selected.put(field, item.get(field));
            }
        }
        exporter.export(new Item(selected));
    }

    @Override
    public List<String> leftOut(Item item) {
        List<String> left = new ArrayList<>(0);
        for (String field : item.fields().keySet()) {
            if (!fieldSet.contains(field)) {
                left.add(field);
            }
        }
        return left;
    }

    @Override
    public void flush() throws IOException {
        exporter.flush();
    }

    @Override
    public void close() throws IOException {
        exporter.close();
    }
}
