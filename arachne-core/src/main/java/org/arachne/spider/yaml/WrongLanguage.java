package org.arachne.spider.yaml;

import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Tells a selector written in one language and read in another (#12): {@code div.product} read as
 * XPath is valid, a child element named "div.product", and matches nothing; {@code //div[@class]}
 * is no CSS; {@code books[0].title} is JMESPath. It looks for signs that only one language has
 * ({@code ::text}, {@code #id} and {@code tag.class} for CSS; {@code //}, {@code @attr} and {@code
 * text()} for XPath; {@code [*]}, {@code [0].name} and backticks for JMESPath), never guessing from
 * a bare name such as {@code title}, which all three read.
 */
final class WrongLanguage {
    /** A string literal of any of the three languages, blanked before looking for signs. */
    private static final Pattern LITERAL = Pattern.compile("'[^']*'|\"[^\"]*\"|`[^`]*`");

    private static final Pattern XPATH_SIGN =
            Pattern.compile(
                    "^\\(*(/|\\./|\\.\\./|@)|//|/@|\\[@|\\btext\\(\\)|\\bnode\\(\\)"
                            + "|\\b(ancestor|ancestor-or-self|attribute|child|descendant"
                            + "|descendant-or-self|following|following-sibling|parent|preceding"
                            + "|preceding-sibling|self)::");

    private static final Pattern JMESPATH_SIGN =
            Pattern.compile("\\[\\*]|\\[\\?|\\[]|`|\\[-?\\d+]\\.[A-Za-z_]|&&|\\|\\||^@\\.");

    /** One compound CSS selector: a tag or {@code *}, then classes, ids, attributes, pseudos. */
    private static final String COMPOUND =
            "(\\*|[A-Za-z][\\w-]*)?([.#][A-Za-z_-][\\w-]*|\\[[^\\]@]*]|::?[a-z-]+(\\([^)]*\\))?)*";

    private static final Pattern CSS_SELECTOR =
            Pattern.compile(
                    "\\s*"
                            + COMPOUND
                            + "(\\s*[>+~]\\s*"
                            + COMPOUND
                            + "|\\s+"
                            + COMPOUND
                            + ")*\\s*(,\\s*"
                            + COMPOUND
                            + "(\\s*[>+~]\\s*"
                            + COMPOUND
                            + "|\\s+"
                            + COMPOUND
                            + ")*\\s*)*");

    /** What only CSS has: a class, an id, a pseudo-class or -element, a combinator. */
    private static final Pattern CSS_SIGN =
            Pattern.compile(
                    "(^|[\\s>+~,])[A-Za-z*]?[\\w-]*[.#][A-Za-z_-]|::(text|attr\\()"
                            + "|(?<!:):(nth-|first-|last-|only-|not\\(|has\\(|contains|matches"
                            + "|empty|checked|eq\\(|lt\\(|gt\\()"
                            + "|[\\w\\])]\\s*[>+~]\\s*[\\w*.#]|[\\w\\])]\\s+[\\w*.#]");

    /** A word that joins two XPath expressions, and would read as a CSS descendant. */
    private static final Pattern XPATH_OPERATOR_WORD = Pattern.compile("\\s(and|or|div|mod)\\s");

    /** Names joined by dots, {@code next_page.url}: JMESPath unless the first is an element. */
    private static final Pattern DOTTED_NAMES = Pattern.compile("[A-Za-z_]\\w*(\\.[A-Za-z_]\\w*)+");

    private static final Set<String> HTML_ELEMENTS =
            Set.of(
                    "a",
                    "abbr",
                    "address",
                    "area",
                    "article",
                    "aside",
                    "audio",
                    "b",
                    "blockquote",
                    "body",
                    "br",
                    "button",
                    "caption",
                    "cite",
                    "code",
                    "col",
                    "dd",
                    "del",
                    "details",
                    "dialog",
                    "div",
                    "dl",
                    "dt",
                    "em",
                    "fieldset",
                    "figcaption",
                    "figure",
                    "footer",
                    "form",
                    "h1",
                    "h2",
                    "h3",
                    "h4",
                    "h5",
                    "h6",
                    "head",
                    "header",
                    "hr",
                    "html",
                    "i",
                    "iframe",
                    "img",
                    "input",
                    "ins",
                    "label",
                    "legend",
                    "li",
                    "link",
                    "main",
                    "mark",
                    "meta",
                    "nav",
                    "noscript",
                    "ol",
                    "option",
                    "p",
                    "picture",
                    "pre",
                    "s",
                    "script",
                    "section",
                    "select",
                    "small",
                    "source",
                    "span",
                    "strong",
                    "style",
                    "sub",
                    "summary",
                    "sup",
                    "table",
                    "tbody",
                    "td",
                    "template",
                    "textarea",
                    "tfoot",
                    "th",
                    "thead",
                    "time",
                    "title",
                    "tr",
                    "u",
                    "ul",
                    "video");

    private WrongLanguage() {}

    /**
     * The language {@code expr} shows signs of, when it is not {@code readAs}; null when it shows
     * none, or only signs of {@code readAs}.
     */
    static @Nullable SelectorType looksLike(String expr, SelectorType readAs) {
        String bare = LITERAL.matcher(expr.strip()).replaceAll("''");
        if (readAs != SelectorType.XPATH && XPATH_SIGN.matcher(bare).find()) {
            return SelectorType.XPATH;
        }
        if (readAs != SelectorType.JMESPATH && JMESPATH_SIGN.matcher(bare).find()) {
            return SelectorType.JMESPATH;
        }
        if (readAs == SelectorType.XPATH
                && DOTTED_NAMES.matcher(bare).matches()
                && !HTML_ELEMENTS.contains(bare.substring(0, bare.indexOf('.')))) {
            return SelectorType.JMESPATH;
        }
        if (readAs != SelectorType.CSS
                && !XPATH_OPERATOR_WORD.matcher(bare).find()
                && CSS_SELECTOR.matcher(bare).matches()
                && CSS_SIGN.matcher(bare).find()) {
            return SelectorType.CSS;
        }
        return null;
    }

    /**
     * The warning for {@code expr}, valid in {@code readAs}, that looks like {@code other}: {@code
     * 'div.product' reads as XPath (selector: xpath) but looks like CSS: write css: div.product}.
     *
     * @param path where it is written ({@code items[0].fields.price.xpath}, {@code items[0].each})
     */
    static String warning(SelectorType readAs, SelectorType other, String path, String expr) {
        return "'"
                + expr
                + "' reads as "
                + display(readAs)
                + " ("
                + (path.endsWith("." + readAs.yamlName())
                        ? readAs.yamlName() + ":"
                        : "selector: " + readAs.yamlName())
                + ") but looks like "
                + display(other)
                + ": "
                + fix(readAs, other, path, expr);
    }

    /**
     * What to add to the message of {@code expr}, no valid selector where it is, that looks like
     * {@code other}: {@code ; it looks like CSS: write css: .price}.
     */
    static String hint(SelectorType readAs, SelectorType other, String path, String expr) {
        return "; it looks like " + display(other) + ": " + fix(readAs, other, path, expr);
    }

    /** How to write {@code expr} in {@code language} where it is read in {@code readAs}. */
    private static String fix(
            SelectorType readAs, SelectorType language, String path, String expr) {
        String name = language.yamlName();
        if (path.endsWith(".each")) {
            return "give the block or rule selector: " + name;
        }
        if (language == SelectorType.JMESPATH) {
            return "write jmespath: " + expr + " in a block or rule with selector: jmespath";
        }
        if (readAs == SelectorType.JMESPATH) {
            return "it reads HTML: write "
                    + name
                    + ": "
                    + expr
                    + " in a block or rule without"
                    + " selector: jmespath";
        }
        return "write " + name + ": " + expr;
    }

    private static String display(SelectorType language) {
        return switch (language) {
            case XPATH -> "XPath";
            case CSS -> "CSS";
            case JMESPATH -> "JMESPath";
        };
    }
}
