package org.arachne.spider.yaml;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.arachne.engine.Setting;
import org.arachne.engine.Settings;
import org.arachne.frontier.CrawlOrder;
import org.jspecify.annotations.Nullable;

/**
 * Setting values of a spider file: their string form for {@link org.arachne.spider.Spider#settings}
 * and their validation by the typed getter that the engine will call.
 */
final class SettingValues {
    private static final Set<String> LOG_LEVELS = Set.of("error", "warn", "info", "debug", "trace");

    private SettingValues() {}

    /**
     * The string form of a value from the file: a string as is, a list as {@code a,b,c}, a map as
     * {@code k1=v1,k2=v2} (the forms {@link Settings} parses).
     */
    static String flatten(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).collect(Collectors.joining(","));
        }
        if (value instanceof Map<?, ?> map) {
            return map.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(","));
        }
        return String.valueOf(value);
    }

    /**
     * What is wrong with this value of a known setting, or null when the engine will accept it. The
     * value is checked in the string form the spider hands to the engine.
     */
    static @Nullable String problem(String key, Object value) {
        Settings settings = Settings.defaults().with(key, flatten(value));
        try {
            Object defaultValue = Objects.requireNonNull(Setting.ALL.get(key)).defaultValue();
            switch (defaultValue) {
                case Integer i -> settings.getInt(key);
                case Boolean b -> settings.getBoolean(key);
                case List<?> l when !l.isEmpty() && l.get(0) instanceof Integer ->
                        settings.getIntList(key);
                case List<?> l -> settings.getList(key);
                case Map<?, ?> m -> {
                    if (!settings.getMap(key).equals(value)) {
                        return "values with ',' or '=' cannot be passed on yet; got " + value;
                    }
                }
                case String s when isDuration(key) -> settings.getDuration(key);
                case String s when isSize(key) -> settings.getBytes(key);
                case null, default -> checkWord(key, settings.getString(key));
            }
        } catch (IllegalArgumentException e) {
            String message = e.getMessage() == null ? "invalid value" : e.getMessage();
            String prefix = "setting '" + key + "' ";
            return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
        }
        return null;
    }

    private static void checkWord(String key, String value) {
        if (key.equals("crawl_order")) {
            CrawlOrder.parse(value);
        } else if (key.equals("log_level") && !LOG_LEVELS.contains(value.strip())) {
            throw new IllegalArgumentException(
                    "has value '" + value + "', expected one of error, warn, info, debug, trace");
        }
    }

    private static boolean isDuration(String key) {
        try {
            Settings.defaults().getDuration(key);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean isSize(String key) {
        try {
            Settings.defaults().getBytes(key);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
