package org.arachne.spider.yaml;

import org.arachne.engine.Setting;
import org.jspecify.annotations.Nullable;

/** Checks a setting value of a spider file the way the engine will read it. */
final class SettingValues {
    private SettingValues() {}

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
