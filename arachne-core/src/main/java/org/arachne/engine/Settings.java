package org.arachne.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.arachne.internal.Suggestions;
import org.jspecify.annotations.Nullable;

/**
 * The settings of one crawl: the declared defaults ({@link Setting#ALL}) with overrides on top.
 * Immutable; {@link #with} returns a copy. Values may be given as strings (from {@code -s
 * key=value}) or as typed values (from YAML or Java). {@link #with} parses and checks every value
 * it is given, so a bad value fails there, naming the setting, the value and what is expected;
 * {@link #get(Setting)} then returns the parsed value without parsing again.
 */
public final class Settings {
    private static final Settings DEFAULTS = new Settings(Map.of(), defaultValues());

    private final Map<String, @Nullable Object> overrides;
    // the parsed value of every setting, by Setting.index()
    private final Object[] values;

    private Settings(Map<String, @Nullable Object> overrides, Object[] values) {
        this.overrides = overrides;
        this.values = values;
    }

    /** The defaults only. */
    public static Settings defaults() {
        return DEFAULTS;
    }

    /**
     * A copy with these values on top (keys trimmed, any case; a null value gives the default).
     *
     * @throws IllegalArgumentException for unknown keys, naming the closest known one, and for bad
     *     values, naming the setting, the value and what is expected; one message for all of them
     */
    public Settings with(Map<String, ?> newValues) {
        Map<String, @Nullable Object> merged = new LinkedHashMap<>(overrides);
        Object[] parsed = values.clone();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, ?> e : newValues.entrySet()) {
            String key = e.getKey().trim().toLowerCase(Locale.ROOT);
            Setting<?> setting = Setting.ALL.get(key);
            if (setting == null) {
                problems.add(unknown(key));
                continue;
            }
            try {
                parsed[setting.index()] = setting.parse(e.getValue());
                merged.put(key, e.getValue());
            } catch (IllegalArgumentException bad) {
                problems.add(bad.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new Settings(Collections.unmodifiableMap(merged), parsed);
    }

    /**
     * A copy with one value on top.
     *
     * @throws IllegalArgumentException as {@link #with(Map)}
     */
    public Settings with(String key, @Nullable Object value) {
        Map<String, @Nullable Object> one = new LinkedHashMap<>();
        one.put(key, value);
        return with(one);
    }

    /**
     * A copy with one typed value on top.
     *
     * @throws IllegalArgumentException when the value breaks the setting's rule (a concurrency of
     *     0, a negative delay)
     */
    public <T> Settings with(Setting<T> setting, T value) {
        return with(setting.key(), value);
    }

    /** The parsed value of a setting: the override if one was set, else the default. */
    public <T> T get(Setting<T> setting) {
        @SuppressWarnings("unchecked") // with() stored setting.parse(...), a T, at this index
        T value = (T) values[setting.index()];
        return value;
    }

    /** Whether the key is known; unknown keys are refused by {@link #with}. */
    public static boolean isKnown(String key) {
        return Setting.ALL.containsKey(key);
    }

    /** The value as given: the override if set (as written), else the typed default. */
    public @Nullable Object raw(String key) {
        return overrides.containsKey(key) ? overrides.get(key) : declared(key).defaultValue();
    }

    /** The keys that were set explicitly, with their values as given. */
    public Map<String, @Nullable Object> overrides() {
        return overrides;
    }

    // String-keyed getters, for callers not yet moved to get(Setting): each returns the value
    // parsed by with() and throws IllegalArgumentException for an unknown key or a setting of
    // another type.

    /** A text setting's value; others as text ({@code bfs}, {@code 30s}). */
    public String getString(String key) {
        Setting<?> setting = declared(key);
        return setting.format(values[setting.index()]);
    }

    public int getInt(String key) {
        return typed(key, Integer.class);
    }

    public double getDouble(String key) {
        return typed(key, Double.class);
    }

    public boolean getBoolean(String key) {
        return typed(key, Boolean.class);
    }

    public Duration getDuration(String key) {
        return typed(key, Duration.class);
    }

    /** A size in bytes. */
    public long getBytes(String key) {
        return typed(key, Long.class);
    }

    @SuppressWarnings("unchecked") // the list settings hold List<String> or List<Integer>
    public List<String> getList(String key) {
        return typed(key, List.class);
    }

    @SuppressWarnings("unchecked")
    public List<Integer> getIntList(String key) {
        return typed(key, List.class);
    }

    @SuppressWarnings("unchecked")
    public Map<String, String> getMap(String key) {
        return typed(key, Map.class);
    }

    private <V> V typed(String key, Class<V> type) {
        Setting<?> setting = declared(key);
        Object value = values[setting.index()];
        if (!type.isInstance(value)) {
            throw new IllegalArgumentException(
                    "setting '"
                            + key
                            + "' is not of type "
                            + type.getSimpleName()
                            + "; read it with get(Setting."
                            + key.toUpperCase(Locale.ROOT)
                            + ")");
        }
        return type.cast(value);
    }

    private static Setting<?> declared(String key) {
        Setting<?> setting = Setting.ALL.get(key);
        if (setting == null) {
            throw new IllegalArgumentException(unknown(key));
        }
        return setting;
    }

    private static String unknown(String key) {
        String closest = Suggestions.closest(key, Setting.ALL.keySet());
        return "unknown setting '"
                + key
                + "'"
                + (closest == null ? "" : " (did you mean '" + closest + "'?)")
                + "; see README, Settings";
    }

    private static Object[] defaultValues() {
        Object[] defaults = new Object[Setting.ALL.size()];
        for (Setting<?> s : Setting.ALL.values()) {
            defaults[s.index()] = s.defaultValue();
        }
        return defaults;
    }

    /** The overrides as given, proxy credentials masked. */
    @Override
    public String toString() {
        Map<String, @Nullable Object> shown = new LinkedHashMap<>();
        overrides.forEach(
                (key, value) -> shown.put(key, value == null ? null : declared(key).show(value)));
        return "Settings" + shown;
    }
}
