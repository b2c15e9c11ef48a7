package org.arachne.spider.yaml;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads spiders written in YAML. Every problem in a file is reported with its file, line, column
 * and key path, {@code books.yaml:14:7: items[0].fields.price.xpath: invalid XPath ...}: YAML
 * syntax, unknown keys (with the closest known one), wrong types, missing keys, bad URLs, unknown
 * or invalid settings, and XPath, CSS or regexes that do not compile. A file over 1 MiB is refused
 * without reading further, and one that is not UTF-8 text (a UTF-16 byte order mark, a NUL byte,
 * bytes that are no UTF-8) is refused at the offending line and column.
 */
public final class YamlSpiders {
    private YamlSpiders() {}

    /**
     * Reads a spider file (UTF-8, at most 1 MiB) and makes its spider.
     *
     * @throws SpiderFileException listing every problem of the file, or the one that it is too
     *     large or not UTF-8 text
     * @throws IOException if the file cannot be read
     */
    public static DeclarativeSpider load(Path file) throws IOException {
        return new DeclarativeSpider(parse(SpiderFileText.read(file), file.toString()));
    }

    /**
     * Parses the text of a spider file; {@code fileName} is used only in messages.
     *
     * @throws SpiderFileException listing every problem of the file
     */
    public static SpiderDefinition parse(String yaml, String fileName) {
        return SpiderFileReader.read(yaml, fileName);
    }

    /**
     * Every problem of a spider file, in file order; empty when the file is a valid spider.
     *
     * @throws IOException if the file cannot be read
     */
    public static List<Problem> check(Path file) throws IOException {
        String text;
        try {
            text = SpiderFileText.read(file);
        } catch (SpiderFileException e) {
            return e.problems();
        }
        return check(text, file.toString());
    }

    /** Every problem of the text of a spider file, in file order; empty when it is valid. */
    public static List<Problem> check(String yaml, String fileName) {
        return SpiderFileReader.check(yaml, fileName);
    }
}
