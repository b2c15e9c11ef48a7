package org.arachne.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's settings table lists exactly the settings the engine knows. */
class ReadmeSettingsTest {
    private static final Pattern ROW = Pattern.compile("(?m)^\\| `([a-z0-9_]+)` \\|");

    @Test
    void settingsTable_matchesTheDeclaredSettings() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        String table = readme.substring(readme.indexOf("## Settings"));
        table = table.substring(0, table.indexOf("\n## ", 3));
        Set<String> documented = new LinkedHashSet<>();
        Matcher m = ROW.matcher(table);
        while (m.find()) {
            documented.add(m.group(1));
        }
        assertThat(documented).containsExactlyElementsOf(Setting.ALL.keySet());
    }
}
