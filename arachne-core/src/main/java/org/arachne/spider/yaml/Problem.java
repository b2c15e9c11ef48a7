package org.arachne.spider.yaml;

/**
 * One thing wrong in a spider file, with where it is: line and column count from 1, and {@code
 * field} is the path of the offending key ({@code items[0].fields.price.xpath}), empty for YAML
 * syntax errors. Also a warning of {@link YamlSpiders#warnings}: something valid but likely wrong.
 */
public record Problem(String file, int line, int column, String field, String message) {

    /** {@code FILE:LINE:COLUMN: FIELD: message}, without the field part when it is empty. */
    @Override
    public String toString() {
        return file
                + ":"
                + line
                + ":"
                + column
                + ": "
                + (field.isEmpty() ? "" : field + ": ")
                + message;
    }
}
