package org.arachne.frontier;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arachne.http.Body;
import org.arachne.http.Headers;
import org.arachne.http.Request;
import org.jspecify.annotations.Nullable;

/**
 * A compact binary form of a {@link Request}, for frontiers that keep requests outside the heap (a
 * spill file, a SQLite queue, a Redis sorted set). Every field round-trips exactly, meta values
 * keep their Java types (every JSON-like type that {@link Request} accepts: string, boolean, the
 * number types, list, map).
 *
 * <p>Format 1 holds every field but the errback; a request with an errback is written as format 2,
 * which appends it (#12), so a request without one has the same bytes as before and what a job dir
 * or a Redis crawl stored earlier still reads.
 */
public final class RequestCodec {
    private static final int VERSION = 1;
    private static final int VERSION_WITH_ERRBACK = 2;
    private static final byte NULL = 0;
    private static final byte STRING = 1;
    private static final byte TRUE = 2;
    private static final byte FALSE = 3;
    private static final byte INT = 4;
    private static final byte LONG = 5;
    private static final byte DOUBLE = 6;
    private static final byte LIST = 7;
    private static final byte MAP = 8;
    private static final byte FLOAT = 9;
    private static final byte SHORT = 10;
    private static final byte BYTE = 11;
    private static final byte BIG_INTEGER = 12;
    private static final byte BIG_DECIMAL = 13;
    private static final int MAX_LENGTH = 256 << 20;

    private RequestCodec() {}

    public static void write(Request request, DataOutput out) throws IOException {
        out.writeByte(request.errback() == null ? VERSION : VERSION_WITH_ERRBACK);
        writeString(request.url(), out);
        writeString(request.method(), out);
        Headers headers = request.headers();
        out.writeInt(headers.size());
        for (int i = 0; i < headers.size(); i++) {
            writeString(headers.name(i), out);
            writeString(headers.value(i), out);
        }
        byte[] body = request.body().unsafeBytes();
        out.writeInt(body.length);
        out.write(body);
        out.writeInt(request.priority());
        out.writeInt(request.depth());
        out.writeBoolean(request.dontFilter());
        writeValue(request.callback(), out);
        writeValue(request.meta(), out);
        if (request.errback() != null) {
            writeString(request.errback(), out);
        }
    }

    /**
     * @throws IOException when the input ends early or was not written by {@link #write}
     */
    public static Request read(DataInput in) throws IOException {
        int version = in.readUnsignedByte();
        if (version != VERSION && version != VERSION_WITH_ERRBACK) {
            throw new IOException("stored request has format version " + version + ", not 1 or 2");
        }
        String url = readString(in);
        String method = readString(in);
        int headerCount = readLength(in);
        List<String> namesAndValues = new ArrayList<>(Math.min(headerCount * 2, 64));
        for (int i = 0; i < headerCount * 2; i++) {
            namesAndValues.add(readString(in));
        }
        byte[] body = new byte[readLength(in)];
        in.readFully(body);
        int priority = in.readInt();
        int depth = in.readInt();
        boolean dontFilter = in.readBoolean();
        String callback = (String) readValue(in);
        @SuppressWarnings("unchecked")
        Map<String, Object> meta = (Map<String, Object>) readValue(in);
        String errback = version == VERSION_WITH_ERRBACK ? readString(in) : null;
        return new Request(
                url,
                method,
                headerCount == 0
                        ? Headers.EMPTY
                        : Headers.of(namesAndValues.toArray(String[]::new)),
                body.length == 0 ? Body.EMPTY : Body.wrap(body),
                priority,
                depth,
                dontFilter,
                callback,
                meta,
                errback);
    }

    /**
     * The binary form of a request as one array, for a database column or a Redis value; {@link
     * #fromBytes} reads it back.
     */
    public static byte[] toBytes(Request request) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(request, out);
        } catch (IOException e) {
            throw new UncheckedIOException("an in-memory stream failed", e);
        }
        return bytes.toByteArray();
    }

    /**
     * The request {@link #toBytes} wrote.
     *
     * @throws IOException when the bytes were not written by {@link #toBytes}
     */
    public static Request fromBytes(byte[] bytes) throws IOException {
        return read(new DataInputStream(new ByteArrayInputStream(bytes)));
    }

    private static void writeString(String s, DataOutput out) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInput in) throws IOException {
        byte[] bytes = new byte[readLength(in)];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** A length or count, checked so that a damaged file cannot ask for a huge array. */
    private static int readLength(DataInput in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > MAX_LENGTH) {
            throw new IOException("stored request is damaged: a length of " + length);
        }
        return length;
    }

    /** Writes one JSON-like value (what request meta and item fields hold). */
    static void writeValue(@Nullable Object value, DataOutput out) throws IOException {
        switch (value) {
            case null -> out.writeByte(NULL);
            case String s -> {
                out.writeByte(STRING);
                writeString(s, out);
            }
            case Boolean b -> out.writeByte(b ? TRUE : FALSE);
            case Integer i -> {
                out.writeByte(INT);
                out.writeInt(i);
            }
            case Long l -> {
                out.writeByte(LONG);
                out.writeLong(l);
            }
            case Double d -> {
                out.writeByte(DOUBLE);
                out.writeDouble(d);
            }
            case Float f -> {
                out.writeByte(FLOAT);
                out.writeFloat(f);
            }
            case Short s -> {
                out.writeByte(SHORT);
                out.writeShort(s);
            }
            case Byte b -> {
                out.writeByte(BYTE);
                out.writeByte(b);
            }
            case BigInteger i -> {
                out.writeByte(BIG_INTEGER);
                writeString(i.toString(), out);
            }
            case BigDecimal d -> {
                out.writeByte(BIG_DECIMAL);
                writeString(d.toString(), out);
            }
            case List<?> list -> {
                out.writeByte(LIST);
                out.writeInt(list.size());
                for (Object element : list) {
                    writeValue(element, out);
                }
            }
            case Map<?, ?> map -> {
                out.writeByte(MAP);
                out.writeInt(map.size());
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    writeString((String) e.getKey(), out);
                    writeValue(e.getValue(), out);
                }
            }
            default ->
                    throw new IllegalArgumentException(
                            "cannot store a " + value.getClass().getName() + " in a request");
        }
    }

    /** Reads a value written by {@link #writeValue}. */
    static @Nullable Object readValue(DataInput in) throws IOException {
        byte tag = in.readByte();
        return switch (tag) {
            case NULL -> null;
            case STRING -> readString(in);
            case TRUE -> Boolean.TRUE;
            case FALSE -> Boolean.FALSE;
            case INT -> in.readInt();
            case LONG -> in.readLong();
            case DOUBLE -> in.readDouble();
            case FLOAT -> in.readFloat();
            case SHORT -> in.readShort();
            case BYTE -> in.readByte();
            case BIG_INTEGER -> new BigInteger(readString(in));
            case BIG_DECIMAL -> new BigDecimal(readString(in));
            case LIST -> {
                int size = readLength(in);
                List<Object> list = new ArrayList<>(Math.min(size, 64));
                for (int i = 0; i < size; i++) {
                    list.add(readValue(in));
                }
                yield list;
            }
            case MAP -> {
                int size = readLength(in);
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = 0; i < size; i++) {
                    map.put(readString(in), readValue(in));
                }
                yield map;
            }
            default -> throw new IOException("stored request has an unknown value tag " + tag);
        };
    }
}
