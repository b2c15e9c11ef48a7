package org.arachne.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.arachne.http.HttpProxy;
import org.arachne.internal.Suggestions;
import org.jspecify.annotations.Nullable;

/**
 * The settings of one crawl: the declared defaults ({@link Setting#ALL}) with overrides on top.
 * Immutable; {@link #with} returns a copy. Values may be given as strings (from {@code -s
 * key=value}) or as typed values (from YAML or Java); the typed getters parse and validate, and
 * every error names the setting and the value.
 */
public final class Settings {
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");
    private static final Pattern SIZE =
            Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(b|kb|kib|k|mb|mib|m|gb|gib|g)?");

    private final Map<String, @Nullable Object> overrides;

    private Settings(Map<String, @Nullable Object> overrides) {
        this.overrides = overrides;
    }

    /** The defaults only. */
    public static Settings defaults() {
        return new Settings(Map.of());
    }

    /**
     * A copy with these values on top.
     *
     * @throws IllegalArgumentException for an unknown key, naming the closest known one
     */
    public Settings with(Map<String, ?> values) {
        Map<String, @Nullable Object> merged = new LinkedHashMap<>(overrides);
        for (Map.Entry<String, ?> e : values.entrySet()) {
            String key = e.getKey().trim().toLowerCase(Locale.ROOT);
            checkKnown(key);
            merged.put(key, e.getValue());
        }
        Settings result = new Settings(Collections.unmodifiableMap(merged));
        for (String key : values.keySet()) {
            result.validate(key.trim().toLowerCase(Locale.ROOT));
        }
        return result;
    }

    /** A copy with one value on top. */
    public Settings with(String key, @Nullable Object value) {
        Map<String, @Nullable Object> one = new LinkedHashMap<>();
        one.put(key, value);
        return with(one);
    }

    /**
     * Reads a value with the getter that fits its default's type, so a wrong value fails when it is
     * set, naming the setting, instead of when the engine first reads it.
     */
    private void validate(String key) {
        if (key.equals("download_slots")) {
            SlotOverrides.parse(raw(key));
            return;
        }
        Object defaultValue = Setting.ALL.get(key).defaultValue();
        switch (defaultValue) {
            case Integer i -> getInt(key);
            case Double d -> getDouble(key);
            case Boolean b -> getBoolean(key);
            case List<?> l when !l.isEmpty() && l.get(0) instanceof Integer -> getIntList(key);
            case List<?> l -> getList(key);
            case Map<?, ?> m -> getMap(key);
            case String str when DURATION.matcher(str).matches() -> getDuration(key);
            case String str when SIZE.matcher(str.toLowerCase(Locale.ROOT)).matches() ->
                    getBytes(key);
            case null, default -> checkWord(key, getString(key));
        }
    }

    private static void checkWord(String key, String value) {
        String word = value.trim().toLowerCase(Locale.ROOT);
        List<String> allowed =
                switch (key) {
                    case "crawl_order" -> List.of("bfs", "dfs");
                    case "log_level" -> List.of("error", "warn", "info", "debug", "trace");
                    default -> List.of();
                };
        if (!allowed.isEmpty() && !allowed.contains(word)) {
            throw invalid(key, value, "one of " + String.join(", ", allowed));
        }
    }

    /** Whether the key is known; unknown keys are refused by {@link #with}. */
    public static boolean isKnown(String key) {
        return Setting.ALL.containsKey(key);
    }

    private static void checkKnown(String key) {
        if (!isKnown(key)) {
            throw new IllegalArgumentException(
                    "unknown setting '" + key + "'" + suggestion(key) + "; see README, Settings");
        }
    }

    private static String suggestion(String key) {
        String closest = Suggestions.closest(key, Setting.ALL.keySet());
        return closest == null ? "" : " (did you mean '" + closest + "'?)";
    }

    /** The raw value: the override if set, else the default. */
    public @Nullable Object raw(String key) {
        checkKnown(key);
        return overrides.containsKey(key)
                ? overrides.get(key)
                : Setting.ALL.get(key).defaultValue();
    }

    /** The keys that were set explicitly, with their values. */
    public Map<String, @Nullable Object> overrides() {
        return overrides;
    }

    public String getString(String key) {
        Object v = raw(key);
        return v == null ? "" : String.valueOf(v);
    }

    public int getInt(String key) {
        Object v = raw(key);
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return n.intValue();
        }
        try {
            return Integer.parseInt(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw invalid(key, v, "a whole number");
        }
    }

    public double getDouble(String key) {
        Object v = raw(key);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw invalid(key, v, "a number");
        }
    }

    public boolean getBoolean(String key) {
        Object v = raw(key);
        if (v instanceof Boolean b) {
            return b;
        }
        String s = String.valueOf(v).trim().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw invalid(key, v, "true or false");
        };
    }

    /**
     * A duration: a number of seconds, or a number with a unit: {@code 500ms}, {@code 3s}, {@code
     * 2m}, {@code 1h}.
     */
    public Duration getDuration(String key) {
        Object v = raw(key);
        if (v instanceof Number n) {
            return Duration.ofNanos(Math.round(n.doubleValue() * 1e9));
        }
        Matcher m = DURATION.matcher(String.valueOf(v).trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw invalid(key, v, "a duration such as 500ms, 3s, 2m or a number of seconds");
        }
        double amount = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double nanos =
                switch (unit) {
                    case "ms" -> amount * 1e6;
                    case "m" -> amount * 60e9;
                    case "h" -> amount * 3600e9;
                    default -> amount * 1e9;
                };
        return Duration.ofNanos(Math.round(nanos));
    }

    /** A size in bytes: a number, or with a unit: {@code 512KiB}, {@code 64MiB}, {@code 1GB}. */
    public long getBytes(String key) {
        Object v = raw(key);
        if (v instanceof Number n) {
            return n.longValue();
        }
        Matcher m = SIZE.matcher(String.valueOf(v).trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw invalid(key, v, "a size such as 1048576, 512KiB or 64MiB");
        }
        double amount = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2);
        long factor =
                switch (unit) {
                    case "kb" -> 1000L;
                    case "k", "kib" -> 1024L;
                    case "mb" -> 1000_000L;
                    case "m", "mib" -> 1024L * 1024;
                    case "gb" -> 1000_000_000L;
                    case "g", "gib" -> 1024L * 1024 * 1024;
                    default -> 1L;
                };
        return Math.round(amount * factor);
    }

    /** A list of strings: a list value, or a comma-separated string. */
    public List<String> getList(String key) {
        Object v = raw(key);
        List<String> result = new ArrayList<>();
        if (v instanceof List<?> list) {
            for (Object o : list) {
                result.add(String.valueOf(o).trim());
            }
        } else if (v != null && !String.valueOf(v).isBlank()) {
            for (String part : String.valueOf(v).split(",")) {
                if (!part.isBlank()) {
                    result.add(part.trim());
                }
            }
        }
        return List.copyOf(result);
    }

    public List<Integer> getIntList(String key) {
        List<Integer> result = new ArrayList<>();
        for (String s : getList(key)) {
            try {
                result.add(Integer.parseInt(s));
            } catch (NumberFormatException e) {
                throw invalid(key, raw(key), "a list of whole numbers");
            }
        }
        return List.copyOf(result);
    }

    /** A map of strings: a map value, or {@code k1=v1,k2=v2}. */
    public Map<String, String> getMap(String key) {
        Object v = raw(key);
        Map<String, String> result = new LinkedHashMap<>();
        if (v instanceof Map<?, ?> map) {
            map.forEach((k, val) -> result.put(String.valueOf(k), String.valueOf(val)));
        } else if (v != null && !String.valueOf(v).isBlank()) {
            for (String part : String.valueOf(v).split(",")) {
                int eq = part.indexOf('=');
                if (eq <= 0) {
                    throw invalid(key, v, "a map such as a=b,c=d");
                }
                result.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
            }
        }
        return Collections.unmodifiableMap(result);
    }

    private static IllegalArgumentException invalid(
            String key, @Nullable Object value, String expected) {
        return new IllegalArgumentException(
                "setting '" + key + "' has value '" + value + "', expected " + expected);
    }

    @Override
    public String toString() {
        Object proxy = overrides.get("proxy");
        if (proxy == null) {
            return "Settings" + overrides;
        }
        Map<String, @Nullable Object> masked = new LinkedHashMap<>(overrides);
        masked.put("proxy", HttpProxy.mask(String.valueOf(proxy)));
        return "Settings" + masked;
    }
}
