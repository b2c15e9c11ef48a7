package org.arachne.spider.yaml;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.arachne.spider.contract.SpiderContract;

/**
 * Reads spiders written in YAML. Every problem in a file is reported with its file, line, column
 * and key path, {@code books.yaml:14:7: items[0].fields.price.xpath: invalid XPath ...}: YAML
 * syntax, unknown keys (with the closest known one), wrong types, missing keys, bad URLs, unknown
 * or invalid settings, unknown processors, and XPath, CSS, JMESPath or regexes that do not compile.
 * A file over 1 MiB is refused without reading further, and one that is not UTF-8 text (a UTF-16
 * byte order mark, a NUL byte, bytes that are no UTF-8) is refused at the offending line and
 * column.
 *
 * <p>Arguments (Scrapy's {@code -a key=value}): a file declares the arguments it takes under {@code
 * arguments:}, each with its default ({@code ~} for none: then it must be given), and uses them as
 * {@code ${key}} in start URLs, sitemap URLs, allowed domains, settings (headers included),
 * constants and the output path. Reading a file with an argument it does not declare, or without
 * one it needs, is a problem of the file like any other.
 */
public final class YamlSpiders {
    private YamlSpiders() {}

    /**
     * Reads a spider file (UTF-8, at most 1 MiB) and makes its spider, without arguments.
     *
     * @throws SpiderFileException listing every problem of the file, or the one that it is too
     *     large or not UTF-8 text
     * @throws IOException if the file cannot be read
     */
    public static DeclarativeSpider load(Path file) throws IOException {
        return load(file, Map.of());
    }

    /**
     * Reads a spider file (UTF-8, at most 1 MiB) with these arguments and makes its spider.
     *
     * @throws SpiderFileException listing every problem of the file (an argument it needs that is
     *     not given, one given that it does not declare), or the one that it is too large or not
     *     UTF-8 text
     * @throws IOException if the file cannot be read
     */
    public static DeclarativeSpider load(Path file, Map<String, String> arguments)
            throws IOException {
        return new DeclarativeSpider(parse(SpiderFileText.read(file), file.toString(), arguments));
    }

    /**
     * Parses the text of a spider file, without arguments; {@code fileName} is used only in
     * messages.
     *
     * @throws SpiderFileException listing every problem of the file
     */
    public static SpiderDefinition parse(String yaml, String fileName) {
        return parse(yaml, fileName, Map.of());
    }

    /**
     * Parses the text of a spider file with these arguments; {@code fileName} is used only in
     * messages.
     *
     * @throws SpiderFileException listing every problem of the file
     */
    public static SpiderDefinition parse(
            String yaml, String fileName, Map<String, String> arguments) {
        return parse(yaml, fileName, arguments, System.getenv());
    }

    /**
     * Parses the text of a spider file with these arguments, taking the {@code login} fields
     * written {@code {env: NAME}} from {@code environment} instead of the process's environment
     * variables (for tests, and for programs that keep secrets elsewhere).
     *
     * @throws SpiderFileException listing every problem of the file (a variable that is not set
     *     among them)
     */
    public static SpiderDefinition parse(
            String yaml,
            String fileName,
            Map<String, String> arguments,
            Map<String, String> environment) {
        return SpiderFileReader.read(yaml, fileName, arguments, environment);
    }

    /**
     * The contracts of a spider file read with these arguments ({@code contracts:} blocks of the
     * spider and of its item blocks), in file order; empty when it has none.
     *
     * @throws SpiderFileException listing every problem of the file
     * @throws IOException if the file cannot be read
     */
    public static List<SpiderContract> contracts(Path file, Map<String, String> arguments)
            throws IOException {
        return SpiderFileReader.contracts(SpiderFileText.read(file), file.toString(), arguments);
    }

    /**
     * What is valid in a spider file read with these arguments but likely wrong, in file order: a
     * selector that looks like another language than the one it is read in ({@code div.product}
     * read as XPath: an element named "div.product"). {@code arachne check} prints them; they never
     * stop a crawl.
     *
     * @throws IOException if the file cannot be read
     */
    public static List<Problem> warnings(Path file, Map<String, String> arguments)
            throws IOException {
        String text;
        try {
            text = SpiderFileText.read(file);
        } catch (SpiderFileException e) {
            return List.of();
        }
        return warnings(text, file.toString(), arguments);
    }

    /** What is valid in the text of a spider file but likely wrong, in file order. */
    public static List<Problem> warnings(
            String yaml, String fileName, Map<String, String> arguments) {
        return SpiderFileReader.warnings(yaml, fileName, arguments);
    }

    /**
     * Every problem of a spider file read without arguments, in file order; empty when the file is
     * a valid spider.
     *
     * @throws IOException if the file cannot be read
     */
    public static List<Problem> check(Path file) throws IOException {
        return check(file, Map.of());
    }

    /**
     * Every problem of a spider file read with these arguments, in file order; empty when the file
     * is a valid spider.
     *
     * @throws IOException if the file cannot be read
     */
    public static List<Problem> check(Path file, Map<String, String> arguments) throws IOException {
        String text;
        try {
            text = SpiderFileText.read(file);
        } catch (SpiderFileException e) {
            return e.problems();
        }
        return check(text, file.toString(), arguments);
    }

    /** Every problem of the text of a spider file read without arguments; empty when valid. */
    public static List<Problem> check(String yaml, String fileName) {
        return check(yaml, fileName, Map.of());
    }

    /** Every problem of the text of a spider file read with these arguments; empty when valid. */
    public static List<Problem> check(String yaml, String fileName, Map<String, String> arguments) {
        return check(yaml, fileName, arguments, System.getenv());
    }

    /**
     * Every problem of the text of a spider file read with these arguments, with {@code login}
     * fields written {@code {env: NAME}} taken from {@code environment}; empty when valid.
     */
    public static List<Problem> check(
            String yaml,
            String fileName,
            Map<String, String> arguments,
            Map<String, String> environment) {
        return SpiderFileReader.check(yaml, fileName, arguments, environment);
    }
}
