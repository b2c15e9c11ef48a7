package org.arachne.frontier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arachne.http.Body;
import org.arachne.http.Headers;
import org.arachne.http.Request;
import org.junit.jupiter.api.Test;

class RequestCodecTest {

    private static byte[] encode(Request r) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RequestCodec.write(r, new DataOutputStream(bytes));
        return bytes.toByteArray();
    }

    private static Request decode(byte[] bytes) throws IOException {
        return RequestCodec.read(new DataInputStream(new ByteArrayInputStream(bytes)));
    }

    @Test
    void everyField_roundTrips_withMetaTypesKept() throws IOException {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("k", "v");
        nested.put("none", null);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("int", 7);
        meta.put("long", 7L);
        meta.put("double", 0.5);
        meta.put("bool", false);
        meta.put("text", "héllo 書");
        meta.put("list", List.of(1, "two", List.of(3L)));
        meta.put("map", nested);
        Request original =
                new Request(
                        "https://example.test/a?q=1",
                        "POST",
                        Headers.of("Content-Type", "application/json", "X-Two", "2"),
                        Body.utf8("{\"a\":1}"),
                        -3,
                        4,
                        true,
                        "parseItem",
                        meta);

        Request copy = decode(encode(original));

        assertThat(copy).isEqualTo(original);
        assertThat(copy.meta().get("int")).isInstanceOf(Integer.class);
        assertThat(copy.meta().get("long")).isInstanceOf(Long.class);
        assertThat(copy.body().decode(java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("{\"a\":1}");
    }

    @Test
    void everyJsonLikeNumberType_roundTrips_withItsType() throws IOException {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("float", 1.5f);
        meta.put("short", (short) -2);
        meta.put("byte", (byte) 7);
        meta.put("bigInteger", new BigInteger("123456789012345678901234567890"));
        meta.put("bigDecimal", new BigDecimal("19.990"));
        Request original = Request.get("http://a.test/").withMeta(meta);

        Request copy = decode(encode(original));

        assertThat(copy).isEqualTo(original);
        assertThat(copy.meta().values())
                .extracting(Object::getClass)
                .containsExactly(
                        Float.class, Short.class, Byte.class, BigInteger.class, BigDecimal.class);
    }

    @Test
    void defaults_roundTrip() throws IOException {
        Request original = Request.get("http://a.test/");
        assertThat(decode(encode(original))).isEqualTo(original);
    }

    @Test
    void damagedInput_isAnIOException_notAHugeAllocation() throws IOException {
        byte[] bytes = encode(Request.get("http://a.test/page"));
        bytes[1] = 0x7f; // the URL's length, now about two billion
        assertThatThrownBy(() -> decode(bytes))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("damaged");
        assertThatThrownBy(() -> decode(Arrays.copyOf(encode(Request.get("http://a.test/")), 9)))
                .isInstanceOf(IOException.class);
        byte[] otherVersion = encode(Request.get("http://a.test/"));
        otherVersion[0] = 9;
        assertThatThrownBy(() -> decode(otherVersion)).hasMessageContaining("version 9");
    }

    @Test
    void errback_roundTrips() throws IOException {
        Request original =
                Request.get("https://example.test/a", "parseItem").withErrback("onError");

        assertThat(decode(encode(original))).isEqualTo(original);
    }

    @Test
    void requestWithoutErrback_isWrittenInFormatOne_asBefore() throws IOException {
        byte[] bytes = encode(Request.get("https://example.test/a", "parseItem"));

        assertThat(bytes[0]).isEqualTo((byte) 1);
        assertThat(decode(bytes).errback()).isNull();
        assertThat(encode(Request.get("https://example.test/a").withErrback("e"))[0])
                .isEqualTo((byte) 2);
    }
}
