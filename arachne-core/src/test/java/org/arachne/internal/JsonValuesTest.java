package org.arachne.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JsonValuesTest {

    private static Map<String, @Nullable Object> field(@Nullable Object value) {
        Map<String, @Nullable Object> fields = new LinkedHashMap<>();
        fields.put("f", value);
        return fields;
    }

    static Stream<@Nullable Object> jsonLike() {
        return Stream.of(
                null,
                "text",
                true,
                7,
                7L,
                0.5,
                Double.NaN,
                1.5f,
                (short) 3,
                (byte) 4,
                new BigInteger("123456789012345678901234567890"),
                new BigDecimal("19.99"),
                List.of(),
                Arrays.asList(1, null, "x"),
                Map.of(),
                Map.of("k", List.of(Map.of("deep", 1))));
    }

    @ParameterizedTest
    @MethodSource("jsonLike")
    void copyFields_jsonLikeValue_isKeptEqual(@Nullable Object value) {
        assertThat(JsonValues.copyFields(field(value), "item field", null)).isEqualTo(field(value));
    }

    static Stream<Arguments> notJsonLike() {
        return Stream.of(
                Arguments.of(Instant.EPOCH, "'f' holds a java.time.Instant"),
                Arguments.of(new Object(), "'f' holds a java.lang.Object"),
                Arguments.of(new int[] {1}, "'f' holds a [I"),
                Arguments.of(new HashSet<>(List.of("a")), "'f' holds a java.util.HashSet"),
                Arguments.of('c', "'f' holds a java.lang.Character"),
                Arguments.of(new StringBuilder("s"), "'f' holds a java.lang.StringBuilder"),
                Arguments.of(List.of("a", "b", Instant.EPOCH), "'f[2]' holds a java.time.Instant"),
                Arguments.of(
                        List.of(Map.of("price", 1), Map.of("price", Instant.EPOCH)),
                        "'f[1].price' holds a java.time.Instant"),
                Arguments.of(
                        Map.of("a", Map.of("b", List.of(List.of(Instant.EPOCH)))),
                        "'f.a.b[0][0]' holds a java.time.Instant"),
                Arguments.of(
                        List.of(Map.of(7, "seven")),
                        "'f[0]' has a key 7 of type java.lang.Integer; map keys must be strings"));
    }

    @ParameterizedTest
    @MethodSource("notJsonLike")
    void copyFields_otherValue_isRefused_namingPathAndType(Object value, String message) {
        assertThatThrownBy(() -> JsonValues.copyFields(field(value), "item field", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("item field " + message);
    }

    @Test
    void copyFields_where_isNamedAfterThePath() {
        assertThatThrownBy(
                        () ->
                                JsonValues.copyFields(
                                        Map.of("when", Instant.EPOCH), "meta", "http://a.test/"))
                .hasMessageStartingWith(
                        "meta 'when' of http://a.test/ holds a java.time.Instant; values must be"
                                + " strings, booleans, numbers");
    }

    @Test
    void copyFields_nameThatIsNotAString_isRefused() {
        Map<Object, Object> fields = new HashMap<>();
        fields.put(1, "one");
        assertThatThrownBy(() -> JsonValues.copyFields(fields, "item field", null))
                .hasMessage("item field name 1 is a java.lang.Integer; names must be strings");
    }

    @Test
    void copyFields_copiesDeeply_soLaterChangesToTheInputAreNotSeen() {
        List<Object> tags = new ArrayList<>(List.of("a"));
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("tags", tags);

        Map<String, @Nullable Object> copy = JsonValues.copyFields(fields, "item field", null);
        tags.add(Instant.EPOCH);
        fields.put("late", "x");

        assertThat(copy).containsExactly(Map.entry("tags", List.of("a")));
        List<?> copiedTags = (List<?>) copy.get("tags");
        assertThatThrownBy(copiedTags::clear).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void copyFields_keepsTheOrderOfNames() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("z", 1);
        fields.put("a", Map.of());
        fields.put("m", 2);
        assertThat(JsonValues.copyFields(fields, "item field", null).keySet())
                .containsExactly("z", "a", "m");
    }

    private static Object nested(int levels) {
        Object value = "x";
        for (int i = 0; i < levels; i++) {
            value = List.of(value);
        }
        return value;
    }

    @Test
    void copyFields_nestingUpToTheLimit_isKept_andDeeperIsRefusedWithItsPath() {
        assertThat(JsonValues.copyFields(field(nested(JsonValues.MAX_DEPTH)), "item field", null))
                .containsKey("f");
        assertThatThrownBy(
                        () ->
                                JsonValues.copyFields(
                                        field(nested(JsonValues.MAX_DEPTH + 1)),
                                        "item field",
                                        "http://a.test/"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("item field 'f[0][0]")
                .hasMessageContaining("of http://a.test/")
                .hasMessageEndingWith("nests lists and maps deeper than 500 levels");
    }
}
