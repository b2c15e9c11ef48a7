package org.arachne.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's settings table lists exactly the declared settings, in order, each with the
 * declaration's default and description: the table is a view of {@link Setting}, written by hand.
 */
class ReadmeSettingsTest {
    private static final Pattern ROW =
            Pattern.compile("(?m)^\\| `([a-z0-9_]+)` \\| (.*?) \\| (.*) \\|$");

    /** One row: key, default, description, as the README writes them. */
    private record Row(String key, String defaultText, String description) {}

    @Test
    void settingsTable_matchesTheDeclarations_keyDefaultAndDescription() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        String table = readme.substring(readme.indexOf("## Settings"));
        table = table.substring(0, table.indexOf("\n## ", 3));
        List<Row> documented = new ArrayList<>();
        Matcher m = ROW.matcher(table);
        while (m.find()) {
            documented.add(new Row(m.group(1), m.group(2), m.group(3)));
        }

        List<Row> declared = new ArrayList<>();
        for (Setting<?> s : Setting.ALL.values()) {
            String defaultText = s.defaultText();
            declared.add(
                    new Row(
                            s.key(),
                            defaultText.isEmpty() ? "(empty)" : defaultText,
                            s.description()));
        }
        assertThat(documented).containsExactlyElementsOf(declared);
    }
}
