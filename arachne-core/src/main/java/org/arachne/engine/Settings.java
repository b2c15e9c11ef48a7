package org.arachne.engine;

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
