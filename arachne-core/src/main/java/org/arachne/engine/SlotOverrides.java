package org.arachne.engine;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.arachne.politeness.SlotOverride;
import org.jspecify.annotations.Nullable;

/**
 * The type of {@code download_slots}: a map from domain (or IP, with per-IP slots) to {@code
 * concurrency}, {@code delay} and {@code randomize_delay}. From YAML or Java it is a map of maps
 * (or of {@link SlotOverride}s); on the command line a JSON object: {@code -s
 * 'download_slots={"a.test":{"delay":"2s"}}'}. Each field is read as {@code concurrent_requests},
 * {@code download_delay} and {@code randomize_download_delay} are.
 */
final class SlotOverrides {
    /** The type {@code Setting.DOWNLOAD_SLOTS} is declared with. */
    static final SettingType<Map<String, SlotOverride>> TYPE = new Type();

    private SlotOverrides() {}

    private static final class Type implements SettingType<Map<String, SlotOverride>> {
        private static final List<String> FIELDS =
                List.of("concurrency", "delay", "randomize_delay");
        private static final SettingCheck<Integer> AT_LEAST_ONE = SettingCheck.atLeast(1);
        private static final SettingCheck<Duration> NOT_NEGATIVE =
                SettingCheck.notNegativeDuration();

        @Override
        public String expected() {
            return "a map of maps (a JSON object on the command line,"
                    + " e.g. {\"a.test\": {\"delay\": \"2s\"}})";
        }

        @Override
        public Map<String, SlotOverride> parse(Object raw) {
            Map<?, ?> slots;
            if (raw instanceof Map<?, ?> map) {
                slots = map;
            } else if (String.valueOf(raw).isBlank()) {
                slots = Map.of();
            } else {
                slots = SettingType.jsonObject(String.valueOf(raw).trim());
            }
            Map<String, SlotOverride> result = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : slots.entrySet()) {
                String slot = String.valueOf(e.getKey()).trim().toLowerCase(Locale.ROOT);
                result.put(slot, slot(slot, e.getValue()));
            }
            return Collections.unmodifiableMap(result);
        }

        private static SlotOverride slot(String slot, @Nullable Object value) {
            if (value instanceof SlotOverride override) {
                return override;
            }
            if (!(value instanceof Map<?, ?> fields)) {
                throw new Rejected(
                        "value '" + value + "'", slot, "a map of " + String.join(", ", FIELDS));
            }
            Integer concurrency = null;
            Duration delay = null;
            Boolean randomize = null;
            for (Map.Entry<?, ?> f : fields.entrySet()) {
                String field = String.valueOf(f.getKey());
                Object v = f.getValue();
                String where = slot + "." + field;
                switch (field) {
                    case "concurrency" -> concurrency = field(WHOLE_NUMBER, AT_LEAST_ONE, v, where);
                    case "delay" -> delay = field(DURATION, NOT_NEGATIVE, v, where);
                    case "randomize_delay" -> randomize = field(BOOLEAN, null, v, where);
                    default ->
                            throw new Rejected(
                                    "unknown key '" + field + "'",
                                    slot,
                                    "one of " + String.join(", ", FIELDS));
                }
            }
            return new SlotOverride(concurrency, delay, randomize);
        }

        private static <T> T field(
                SettingType<T> type,
                @Nullable SettingCheck<T> check,
                @Nullable Object value,
                String where) {
            String expected = type.expected() + (check == null ? "" : ", " + check.text());
            if (value == null) {
                throw new Rejected("no value", where, expected);
            }
            T parsed;
            try {
                parsed = type.parse(value);
            } catch (Rejected r) {
                throw new Rejected("value '" + value + "'", where, expected);
            }
            if (check != null && !check.test().test(parsed)) {
                throw new Rejected("value '" + value + "'", where, expected);
            }
            return parsed;
        }

        @Override
        public String format(Map<String, SlotOverride> value) {
            return String.join(", ", value.keySet());
        }
    }
}
