package org.arachne.spider.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every word a spider file may use is documented in {@code examples/README.md}: each key the reader
 * accepts (the {@code *KEYS} lists of the readers, so a key added to a reader without a line in the
 * README fails here), each field source and processor, each page value and each type. A word counts
 * as documented when it stands inside a code span ({@code `key`}, {@code `key: ...`}, {@code `{min:
 * 1, max: 20}`}).
 */
class ExamplesReadmeKeysTest {
    private static final Path README = Path.of("..", "examples", "README.md");

    /** The classes of the YAML format that keep lists of its words. */
    private static final List<Class<?>> READERS =
            List.of(
                    SpiderFileReader.class,
                    FieldReader.class,
                    RuleReader.class,
                    ContractReader.class,
                    LoginReader.class,
                    StartRequestReader.class);

    /** Besides the {@code *KEYS} lists, the lists of words a value may take. */
    private static final List<String> WORD_LISTS = List.of("SOURCES", "PROCESSORS", "BODIES");

    @Test
    void everyWordOfTheFormat_isInTheReadme_asCode() throws Exception {
        String code = codeSpans(Files.readString(README, StandardCharsets.UTF_8));
        List<String> words = new ArrayList<>();
        for (Class<?> reader : READERS) {
            words.addAll(words(reader));
        }
        for (PageValue.Kind kind : PageValue.Kind.values()) {
            words.add(kind.yamlName());
        }
        for (FieldType type : FieldType.values()) {
            words.add(type.name().toLowerCase(Locale.ROOT));
        }
        assertThat(words).as("the readers' word lists were found").hasSizeGreaterThan(60);

        TreeSet<String> missing = new TreeSet<>();
        for (String word : words) {
            if (!Pattern.compile("(?<![\\w-])" + Pattern.quote(word) + "(?![\\w-])")
                    .matcher(code)
                    .find()) {
                missing.add(word);
            }
        }
        assertThat(missing).as("words of the spider format not documented in " + README).isEmpty();
    }

    /** The strings of the class's static lists and sets named {@code *KEYS} or in WORD_LISTS. */
    private static List<String> words(Class<?> reader) throws IllegalAccessException {
        List<String> words = new ArrayList<>();
        for (Field field : reader.getDeclaredFields()) {
            boolean wordList =
                    field.getName().endsWith("KEYS") || WORD_LISTS.contains(field.getName());
            if (wordList
                    && Modifier.isStatic(field.getModifiers())
                    && Collection.class.isAssignableFrom(field.getType())) {
                field.setAccessible(true);
                for (Object word : (Collection<?>) field.get(null)) {
                    words.add((String) word);
                }
            }
        }
        return words;
    }

    /** Every code span and fenced block of the Markdown text, one per line. */
    private static String codeSpans(String markdown) throws IOException {
        StringBuilder code = new StringBuilder();
        Matcher fenced = Pattern.compile("(?ms)^```[^\\n]*\\n(.*?)^```").matcher(markdown);
        while (fenced.find()) {
            code.append(fenced.group(1)).append('\n');
        }
        Matcher span = Pattern.compile("`([^`\\n]+)`").matcher(fenced.replaceAll(""));
        while (span.find()) {
            code.append(span.group(1)).append('\n');
        }
        return code.toString();
    }
}
