package org.arachne.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.arachne.http.HttpProxy;
import org.jspecify.annotations.Nullable;

/**
 * How one kind of setting value is read and shown: the parser that turns what a user wrote (a
 * string from {@code -s key=value}, a typed value from YAML or Java) into a typed value, and the
 * form the README's table shows. Every parser accepts its own output unchanged, so a value may be
 * given already typed ({@code Duration.ofSeconds(2)}, a {@code List<Integer>}).
 */
interface SettingType<T> {

    /** What a value must look like, for error messages: {@code a whole number}. */
    String expected();

    /**
     * Reads a value; never given null.
     *
     * @throws Rejected when it cannot be read as this type
     */
    T parse(Object raw);

    /** The value as the README shows it; empty for an empty value. */
    String format(T value);

    /** A value as given, the way messages and {@code toString} show it. */
    default String show(Object raw) {
        return String.valueOf(raw);
    }

    /**
     * A value a parser refuses: what it found (by default the whole value), where inside the value
     * (for maps of maps), and what it expected (by default the type's {@link #expected()}).
     */
    final class Rejected extends RuntimeException {
        private static final long serialVersionUID = 1L;

        final @Nullable String found;
        final @Nullable String where;
        final @Nullable String expected;

        Rejected(@Nullable String found, @Nullable String where, @Nullable String expected) {
            // internal: Setting.parse turns it into the message users see; no stack trace needed
            super("value rejected" + (where == null ? "" : " at " + where), null, false, false);
            this.found = found;
            this.where = where;
            this.expected = expected;
        }

        /** The whole value is wrong; the type's own {@link #expected()} says why. */
        static Rejected value() {
            return new Rejected(null, null, null);
        }
    }

    /** An int: a number without a fraction, or its text. */
    SettingType<Integer> WHOLE_NUMBER =
            new SettingType<>() {
                @Override
                public String expected() {
                    return "a whole number";
                }

                @Override
                public Integer parse(Object raw) {
                    if (raw instanceof Number n) {
                        double d = n.doubleValue();
                        if (d == Math.rint(d) && d >= Integer.MIN_VALUE && d <= Integer.MAX_VALUE) {
                            return n.intValue();
                        }
                        throw Rejected.value();
                    }
                    try {
                        return Integer.parseInt(String.valueOf(raw).trim());
                    } catch (NumberFormatException e) {
                        throw Rejected.value();
                    }
                }

                @Override
                public String format(Integer value) {
                    return value.toString();
                }
            };

    /** A finite double: a number, or its text. */
    SettingType<Double> NUMBER =
            new SettingType<>() {
                @Override
                public String expected() {
                    return "a number";
                }

                @Override
                public Double parse(Object raw) {
                    double d;
                    if (raw instanceof Number n) {
                        d = n.doubleValue();
                    } else {
                        try {
                            d = Double.parseDouble(String.valueOf(raw).trim());
                        } catch (NumberFormatException e) {
                            throw Rejected.value();
                        }
                    }
                    if (!Double.isFinite(d)) {
                        throw Rejected.value();
                    }
                    return d;
                }

                @Override
                public String format(Double value) {
                    return value.toString();
                }
            };

    /** A boolean, or true/yes/on/1 and false/no/off/0 in any case. */
    SettingType<Boolean> BOOLEAN =
            new SettingType<>() {
                @Override
                public String expected() {
                    return "true or false";
                }

                @Override
                public Boolean parse(Object raw) {
                    if (raw instanceof Boolean b) {
                        return b;
                    }
                    return switch (String.valueOf(raw).trim().toLowerCase(Locale.ROOT)) {
                        case "true", "yes", "on", "1" -> true;
                        case "false", "no", "off", "0" -> false;
                        default -> throw Rejected.value();
                    };
                }

                @Override
                public String format(Boolean value) {
                    return value.toString();
                }
            };

    /**
     * A duration: a {@link Duration}, a number of seconds, or a number with a unit: {@code 500ms},
     * {@code 3s}, {@code 2m}, {@code 1h}.
     */
    SettingType<Duration> DURATION =
            new SettingType<>() {
                private static final Pattern FORM =
                        Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)?");

                @Override
                public String expected() {
                    return "a duration such as 500ms, 3s, 2m or a number of seconds";
                }

                @Override
                public Duration parse(Object raw) {
                    if (raw instanceof Duration d) {
                        return d;
                    }
                    if (raw instanceof Number n) {
                        double seconds = n.doubleValue();
                        if (!Double.isFinite(seconds)) {
                            throw Rejected.value();
                        }
                        return Duration.ofNanos(Math.round(seconds * 1e9));
                    }
                    Matcher m = FORM.matcher(String.valueOf(raw).trim().toLowerCase(Locale.ROOT));
                    if (!m.matches()) {
                        throw Rejected.value();
                    }
                    double amount = Double.parseDouble(m.group(1));
                    double nanos =
                            switch (m.group(2) == null ? "s" : m.group(2)) {
                                case "ms" -> amount * 1e6;
                                case "m" -> amount * 60e9;
                                case "h" -> amount * 3600e9;
                                case "d" -> amount * 86_400e9;
                                default -> amount * 1e9;
                            };
                    return Duration.ofNanos(Math.round(nanos));
                }

                @Override
                public String format(Duration value) {
                    long nanos = value.toNanos();
                    if (nanos % 1_000_000_000L == 0) {
                        return value.toSeconds() + "s";
                    }
                    if (nanos % 1_000_000L == 0) {
                        return value.toMillis() + "ms";
                    }
                    return nanos / 1e9 + "s";
                }
            };

    /** A size in bytes: a number, or with a unit: {@code 512KiB}, {@code 64MiB}, {@code 1GB}. */
    SettingType<Long> SIZE =
            new SettingType<>() {
                private static final Pattern FORM =
                        Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(b|kb|kib|k|mb|mib|m|gb|gib|g)?");
                private static final long KIB = 1024;

                @Override
                public String expected() {
                    return "a size such as 1048576, 512KiB or 64MiB";
                }

                @Override
                public Long parse(Object raw) {
                    if (raw instanceof Number n) {
                        return n.longValue();
                    }
                    Matcher m = FORM.matcher(String.valueOf(raw).trim().toLowerCase(Locale.ROOT));
                    if (!m.matches()) {
                        throw Rejected.value();
                    }
                    double amount = Double.parseDouble(m.group(1));
                    long factor =
                            switch (m.group(2) == null ? "b" : m.group(2)) {
                                case "kb" -> 1000L;
                                case "k", "kib" -> KIB;
                                case "mb" -> 1000_000L;
                                case "m", "mib" -> KIB * KIB;
                                case "gb" -> 1000_000_000L;
                                case "g", "gib" -> KIB * KIB * KIB;
                                default -> 1L;
                            };
                    return Math.round(amount * factor);
                }

                @Override
                public String format(Long value) {
                    String[] units = {"GiB", "MiB", "KiB"};
                    long[] factors = {KIB * KIB * KIB, KIB * KIB, KIB};
                    for (int i = 0; i < units.length; i++) {
                        if (value != 0 && value % factors[i] == 0) {
                            return value / factors[i] + units[i];
                        }
                    }
                    return value.toString();
                }
            };

    /** Any text, taken as it is. */
    SettingType<String> TEXT =
            new SettingType<>() {
                @Override
                public String expected() {
                    return "a text";
                }

                @Override
                public String parse(Object raw) {
                    return String.valueOf(raw);
                }

                @Override
                public String format(String value) {
                    return value;
                }
            };

    /** A list of strings: a list (each element trimmed), or a comma-separated string. */
    SettingType<List<String>> LIST =
            new SettingType<>() {
                @Override
                public String expected() {
                    return "a list such as a,b";
                }

                @Override
                public List<String> parse(Object raw) {
                    return strings(raw);
                }

                @Override
                public String format(List<String> value) {
                    return String.join(", ", value);
                }
            };

    /** A list of ints, in either form of {@link #LIST}. */
    SettingType<List<Integer>> WHOLE_NUMBER_LIST =
            new SettingType<>() {
                @Override
                public String expected() {
                    return "a list of whole numbers";
                }

                @Override
                public List<Integer> parse(Object raw) {
                    List<Integer> result = new ArrayList<>();
                    for (String s : strings(raw)) {
                        result.add(WHOLE_NUMBER.parse(s));
                    }
                    return List.copyOf(result);
                }

                @Override
                public String format(List<Integer> value) {
                    return String.join(", ", value.stream().map(String::valueOf).toList());
                }
            };

    /**
     * A map of strings (keys and values trimmed, order kept): a map, {@code k1=v1,k2=v2}, or a JSON
     * object (for values holding commas, such as an {@code Accept} header).
     */
    SettingType<Map<String, String>> MAP =
            new SettingType<>() {
                @Override
                public String expected() {
                    return "a map such as a=b,c=d (or a JSON object)";
                }

                @Override
                public Map<String, String> parse(Object raw) {
                    Map<?, ?> map = raw instanceof Map<?, ?> m ? m : fromText(raw);
                    Map<String, String> result = new LinkedHashMap<>();
                    map.forEach(
                            (k, v) ->
                                    result.put(String.valueOf(k).trim(), String.valueOf(v).trim()));
                    return Collections.unmodifiableMap(result);
                }

                private Map<?, ?> fromText(Object raw) {
                    String text = String.valueOf(raw).trim();
                    if (text.startsWith("{")) {
                        return jsonObject(text);
                    }
                    Map<String, String> pairs = new LinkedHashMap<>();
                    if (text.isEmpty()) {
                        return pairs;
                    }
                    for (String part : text.split(",")) {
                        int eq = part.indexOf('=');
                        if (eq <= 0) {
                            throw Rejected.value();
                        }
                        pairs.put(part.substring(0, eq), part.substring(eq + 1));
                    }
                    return pairs;
                }

                @Override
                public String format(Map<String, String> value) {
                    return String.join(", ", value.keySet());
                }
            };

    /**
     * An optional HTTP proxy: an {@link HttpProxy}, or a URL {@link HttpProxy#parse} reads (blank
     * for none). Messages and {@code toString} mask the credentials.
     */
    SettingType<Optional<HttpProxy>> PROXY =
            new SettingType<>() {
                @Override
                public String expected() {
                    return "an http proxy URL such as http://user:pass@host:port";
                }

                @Override
                public Optional<HttpProxy> parse(Object raw) {
                    if (raw instanceof HttpProxy proxy) {
                        return Optional.of(proxy);
                    }
                    if (raw instanceof Optional<?> o && o.orElse(null) instanceof HttpProxy p) {
                        return Optional.of(p);
                    }
                    if (raw instanceof Optional<?> o && o.isEmpty()) {
                        return Optional.empty();
                    }
                    try {
                        return Optional.ofNullable(HttpProxy.parse(String.valueOf(raw)));
                    } catch (IllegalArgumentException e) {
                        String why = String.valueOf(e.getMessage());
                        int reason = why.lastIndexOf("': ");
                        throw new Rejected(
                                null,
                                null,
                                expected()
                                        + " ("
                                        + (reason < 0 ? why : why.substring(reason + 3))
                                        + ")");
                    }
                }

                @Override
                public String format(Optional<HttpProxy> value) {
                    return value.map(HttpProxy::toString).orElse("");
                }

                @Override
                public String show(Object raw) {
                    return HttpProxy.mask(String.valueOf(raw));
                }
            };

    /**
     * An optional directory or file path: a {@link Path}, or its text (blank for none). A path the
     * file system cannot hold (a NUL character) is refused.
     */
    SettingType<Optional<Path>> OPTIONAL_PATH =
            new SettingType<>() {
                @Override
                public String expected() {
                    return "a path";
                }

                @Override
                public Optional<Path> parse(Object raw) {
                    if (raw instanceof Path path) {
                        return Optional.of(path);
                    }
                    if (raw instanceof Optional<?> o && o.orElse(null) instanceof Path p) {
                        return Optional.of(p);
                    }
                    if (raw instanceof Optional<?> o && o.isEmpty()) {
                        return Optional.empty();
                    }
                    String text = String.valueOf(raw).strip();
                    if (text.isEmpty()) {
                        return Optional.empty();
                    }
                    try {
                        return Optional.of(Path.of(text));
                    } catch (InvalidPathException e) {
                        throw new Rejected(null, null, expected() + " (" + e.getReason() + ")");
                    }
                }

                @Override
                public String format(Optional<Path> value) {
                    return value.map(Path::toString).orElse("");
                }
            };

    /**
     * One of an enum's constants, by its name in lower case ({@code bfs} for {@code
     * CrawlOrder.BFS}; trimmed, any case); the constants themselves are accepted too.
     */
    static <E extends Enum<E>> SettingType<E> oneOf(Class<E> type) {
        Map<String, E> byWord = new LinkedHashMap<>();
        for (E constant : type.getEnumConstants()) {
            byWord.put(constant.name().toLowerCase(Locale.ROOT), constant);
        }
        return new Words<>(byWord);
    }

    /** Words that stand for themselves, such as {@code info} for {@code log_level}. */
    static SettingType<String> oneOf(String... words) {
        Map<String, String> byWord = new LinkedHashMap<>();
        for (String word : words) {
            byWord.put(word, word);
        }
        return new Words<>(byWord);
    }

    /** One of a few words (trimmed, any case), each standing for a value. */
    final class Words<T> implements SettingType<T> {
        private final Map<String, T> byWord;

        Words(Map<String, T> byWord) {
            this.byWord = Collections.unmodifiableMap(new LinkedHashMap<>(byWord));
        }

        @Override
        public String expected() {
            return "one of " + String.join(", ", byWord.keySet());
        }

        @Override
        public T parse(Object raw) {
            if (byWord.containsValue(raw)) {
                @SuppressWarnings("unchecked") // one of the values, so a T
                T value = (T) raw;
                return value;
            }
            T value = byWord.get(String.valueOf(raw).trim().toLowerCase(Locale.ROOT));
            if (value == null) {
                throw Rejected.value();
            }
            return value;
        }

        @Override
        public String format(T value) {
            for (Map.Entry<String, T> e : byWord.entrySet()) {
                if (e.getValue().equals(value)) {
                    return e.getKey();
                }
            }
            throw new IllegalArgumentException("not one of " + byWord.keySet() + ": " + value);
        }
    }

    private static List<String> strings(Object raw) {
        List<String> result = new ArrayList<>();
        if (raw instanceof List<?> list) {
            for (Object o : list) {
                result.add(String.valueOf(o).trim());
            }
        } else {
            for (String part : String.valueOf(raw).split(",")) {
                if (!part.isBlank()) {
                    result.add(part.trim());
                }
            }
        }
        return List.copyOf(result);
    }

    /**
     * A JSON object, as {@code -s} gives maps and maps of maps.
     *
     * @throws Rejected when the text is not one
     */
    static Map<?, ?> jsonObject(String text) {
        Map<?, ?> map;
        try {
            map = Json.MAPPER.readValue(text, Map.class);
        } catch (JsonProcessingException e) {
            throw Rejected.value();
        }
        if (map == null) { // the text "null"
            throw Rejected.value();
        }
        return map;
    }

    /** Holds the one JSON reader, created when a JSON value is first read. */
    final class Json {
        private static final ObjectMapper MAPPER = new ObjectMapper();

        private Json() {}
    }
}
