package org.arachne.spider.yaml;

import org.arachne.engine.Settings;
import org.jspecify.annotations.Nullable;

/** Checks a setting value of a spider file the way the engine will read it. */
final class SettingValues {
    private SettingValues() {}

    /** What is wrong with this value of a known setting, or null when the engine accepts it. */
    static @Nullable String problem(String key, Object value) {
        try {
            Settings.defaults().with(key, value);
            return null;
        } catch (IllegalArgumentException e) {
            String message = e.getMessage() == null ? "invalid value" : e.getMessage();
            for (String prefix :
                    new String[] {"setting '" + key + "' ", "setting '" + key + "': "}) {
                if (message.startsWith(prefix)) {
                    return message.substring(prefix.length());
                }
            }
            return message;
        }
    }
}
