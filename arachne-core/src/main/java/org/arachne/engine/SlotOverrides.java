package org.arachne.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.arachne.politeness.SlotOverride;
import org.jspecify.annotations.Nullable;

/**
 * Reads {@code download_slots}: a map from domain (or IP, with per-IP slots) to {@code
 * concurrency}, {@code delay} and {@code randomize_delay}. From YAML or Java it is a map of maps;
 * on the command line a JSON object: {@code -s 'download_slots={"a.test":{"delay":"2s"}}'}.
 */
final class SlotOverrides {
    private static final String KEY = "download_slots";
    private static final Set<String> FIELDS = Set.of("concurrency", "delay", "randomize_delay");

    private SlotOverrides() {}

    /**
     * @throws IllegalArgumentException naming the slot and the field that is wrong
     */
    static Map<String, SlotOverride> parse(@Nullable Object raw) {
        Map<?, ?> slots = asMap(raw);
        Map<String, SlotOverride> result = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : slots.entrySet()) {
            String slot = String.valueOf(e.getKey()).trim().toLowerCase(Locale.ROOT);
            if (!(e.getValue() instanceof Map<?, ?> fields)) {
                throw invalid(slot, "expected a map of concurrency, delay, randomize_delay");
            }
            Settings one = Settings.defaults();
            Integer concurrency = null;
            java.time.Duration delay = null;
            Boolean randomize = null;
            for (Map.Entry<?, ?> f : fields.entrySet()) {
                String field = String.valueOf(f.getKey());
                Object value = f.getValue();
                try {
                    switch (field) {
                        case "concurrency" ->
                                concurrency =
                                        one.with("concurrent_requests", value)
                                                .getInt("concurrent_requests");
                        case "delay" ->
                                delay =
                                        one.with("download_delay", value)
                                                .getDuration("download_delay");
                        case "randomize_delay" ->
                                randomize =
                                        one.with("randomize_download_delay", value)
                                                .getBoolean("randomize_download_delay");
                        default ->
                                throw invalid(
                                        slot,
                                        "unknown key '"
                                                + field
                                                + "'; expected one of "
                                                + String.join(
                                                        ", ", FIELDS.stream().sorted().toList()));
                    }
                } catch (IllegalArgumentException bad) {
                    if (bad.getMessage() != null
                            && bad.getMessage().startsWith("setting '" + KEY)) {
                        throw bad;
                    }
                    throw invalid(slot + "." + field, "value '" + value + "' is not valid");
                }
            }
            try {
                result.put(slot, new SlotOverride(concurrency, delay, randomize));
            } catch (IllegalArgumentException bad) {
                throw invalid(slot, bad.getMessage());
            }
        }
        return result;
    }

    private static Map<?, ?> asMap(@Nullable Object raw) {
        if (raw == null) {
            return Map.of();
        }
        if (raw instanceof Map<?, ?> map) {
            return map;
        }
        String text = String.valueOf(raw).trim();
        if (text.isEmpty()) {
            return Map.of();
        }
        try {
            return new ObjectMapper().readValue(text, Map.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "setting '"
                            + KEY
                            + "' has value '"
                            + text
                            + "', expected a map of maps (a JSON object on the command line,"
                            + " e.g. {\"a.test\": {\"delay\": \"2s\"}})",
                    e);
        }
    }

    private static IllegalArgumentException invalid(String where, String what) {
        return new IllegalArgumentException("setting '" + KEY + "': " + where + ": " + what);
    }
}
