package org.arachne.spider.yaml;

import java.util.Locale;
import org.arachne.engine.Setting;
import org.jspecify.annotations.Nullable;

/** Reads a setting key and checks a setting value of a spider file the way the engine will. */
final class SettingValues {
    private SettingValues() {}

    /**
     * The key a spider file's setting name stands for: any case, as with {@code -s} (a Scrapy user
     * writes {@code CONCURRENT_REQUESTS}), so {@code Settings} and the file agree (#9).
     */
    static String key(String written) {
        return written.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * What is wrong with this value of a known setting ({@code has value 'x', expected ...}), or
     * null when the engine accepts it.
     */
    static @Nullable String problem(Setting<?> setting, Object value) {
        try {
            setting.parse(value);
            return null;
        } catch (IllegalArgumentException e) {
            String message = e.getMessage() == null ? "invalid value" : e.getMessage();
            String prefix = "setting '" + setting.key() + "' ";
            return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
        }
    }
}
