package org.arachne.frontier;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.arachne.item.Item;
import org.jspecify.annotations.Nullable;

/**
 * The binary form of one lease's items, for a durable outbox: each item's fields as a map of the
 * same JSON-like values {@link RequestCodec} writes for request meta, so every field round-trips
 * with its Java type and its place. Public for frontiers outside this package (Redis) that keep
 * items in their own store.
 */
public final class ItemCodec {
    private static final int VERSION = 1;

    private ItemCodec() {}

    /** The binary form of one lease's items, in their order; {@link #fromBytes} reads it back. */
    public static byte[] toBytes(List<Item> items) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 * items.size());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeInt(items.size());
            for (Item item : items) {
                RequestCodec.writeValue(item.fields(), out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("an in-memory stream failed", e);
        }
        return bytes.toByteArray();
    }

    /**
     * The items {@link #toBytes} wrote, in their order.
     *
     * @throws IOException when the bytes were not written by {@link #toBytes}
     */
    public static List<Item> fromBytes(byte[] bytes) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        int version = in.readUnsignedByte();
        if (version != VERSION) {
            throw new IOException("stored items have format version " + version + ", not 1");
        }
        int count = in.readInt();
        if (count < 0 || count > bytes.length) {
            throw new IOException("stored items are damaged: a count of " + count);
        }
        List<Item> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (!(RequestCodec.readValue(in) instanceof Map<?, ?> fields)) {
                throw new IOException("stored items are damaged: item " + i + " is no map");
            }
            @SuppressWarnings("unchecked")
            Map<String, @Nullable Object> typed = (Map<String, @Nullable Object>) fields;
            items.add(new Item(typed));
        }
        return items;
    }
}
