package org.arachne.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.arachne.select.Selection;
import org.arachne.url.Urls;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.FormElement;
import org.jspecify.annotations.Nullable;

/**
 * Requests that submit an HTML form of a page, as a browser would: Scrapy's {@code
 * FormRequest.from_response}, for logging in and for search forms. The form's fields keep the
 * values the page gives them (hidden inputs such as a CSRF token, text inputs, checked checkboxes
 * and radio buttons, selected options, textareas; disabled controls left out), the first submit
 * button counts as clicked (its name and value are sent when it has a name; other submit buttons
 * are not), and the given fields replace the page's values of their names or are added after them.
 *
 * <p>The request goes to the form's {@code action} resolved against the page ({@code <base href>}
 * included), or to the page itself when the form has none; with the form's {@code method}: a GET
 * puts the fields in the URL's query (replacing the query the action had, as browsers do), a POST
 * sends them as {@code application/x-www-form-urlencoded} in the page's charset (also for a form
 * whose {@code enctype} is {@code multipart/form-data}, as Scrapy does; files are not uploaded).
 * Its callback is {@code parse}; change it with {@link Request#withCallback}.
 *
 * <pre>{@code
 * Request login = Forms.fromResponse(response, response.css("form#login"),
 *         Map.of("username", "alice", "password", password));
 * }</pre>
 */
public final class Forms {
    /** Input types whose value a submitted form does not carry (files are not uploaded). */
    private static final List<String> NOT_SENT_INPUTS = List.of("button", "image", "reset", "file");

    private Forms() {}

    /**
     * Submits the first form of the page with these fields filled in.
     *
     * @throws IllegalArgumentException naming the page when it has no form
     */
    public static Request fromResponse(Response response, Map<String, String> fields) {
        return fromResponse(response, response.css("form"), fields);
    }

    /**
     * Submits the form that {@code form} selects (by {@link Response#css} or {@link
     * Response#xpath}), with these fields filled in: the first element selected, or the form it is
     * inside when it is no form itself (a selector of the submit button works too).
     *
     * @throws IllegalArgumentException naming the page when the selection has no element, the
     *     element is in no form, or the form's action is no URL a request can have ({@code
     *     javascript:...})
     */
    public static Request fromResponse(
            Response response, Selection form, Map<String, String> fields) {
        List<Element> selected = form.elements();
        if (selected.isEmpty()) {
            throw new IllegalArgumentException("no form found on " + Urls.redacted(response.url()));
        }
        FormElement formElement = enclosingForm(selected.get(0));
        if (formElement == null) {
            throw new IllegalArgumentException(
                    "the element selected on "
                            + Urls.redacted(response.url())
                            + " is not in a form: <"
                            + selected.get(0).tagName()
                            + ">");
        }
        List<Map.Entry<String, String>> data = new ArrayList<>();
        for (Map.Entry<String, String> pair : pageValues(formElement)) {
            if (!fields.containsKey(pair.getKey())) {
                data.add(pair);
            }
        }
        fields.forEach((name, value) -> data.add(Map.entry(name, value)));
        String action = formElement.attr("action").strip();
        String url =
                action.isEmpty()
                        ? response.url()
                        : Urls.resolve(linkBase(response, formElement), action, response.charset());
        String method = formElement.attr("method").strip().toUpperCase(Locale.ROOT);
        String encoded = FormEncoding.encode(data, response.charset());
        if (method.equals("POST")) {
            return Request.post(
                    url,
                    Body.wrap(encoded.getBytes(response.charset())),
                    FormEncoding.CONTENT_TYPE);
        }
        return Request.get(withQuery(url, encoded));
    }

    /** The page's {@code <base href>} when it has one (jsoup resolves it), else its URL. */
    private static String linkBase(Response response, Element form) {
        String base = form.ownerDocument() == null ? "" : form.ownerDocument().baseUri();
        return base.isEmpty() ? response.url() : base;
    }

    private static @Nullable FormElement enclosingForm(Element element) {
        for (Element e = element; e != null; e = e.parent()) {
            if (e instanceof FormElement f) {
                return f;
            }
        }
        return null;
    }

    /**
     * The values the page gives the form's fields, as a browser sends them, then the first submit
     * button's, as the one clicked. Written out rather than jsoup's {@code formData()}: that sends
     * every submit input, and an empty value for a selected {@code <option>} without a {@code
     * value} attribute, where browsers send the option's text.
     */
    private static List<Map.Entry<String, String>> pageValues(FormElement form) {
        List<Map.Entry<String, String>> values = new ArrayList<>();
        @Nullable Element clicked = null;
        for (Element control : form.elements()) {
            String name = control.attr("name");
            if (control.hasAttr("disabled")) {
                continue;
            }
            String type = control.attr("type").toLowerCase(Locale.ROOT);
            switch (control.normalName()) {
                case "input" -> {
                    if (type.equals("submit")) {
                        clicked = clicked == null ? control : clicked;
                    } else if (type.equals("checkbox") || type.equals("radio")) {
                        if (control.hasAttr("checked") && !name.isEmpty()) {
                            String value = control.attr("value");
                            values.add(Map.entry(name, value.isEmpty() ? "on" : value));
                        }
                    } else if (!NOT_SENT_INPUTS.contains(type) && !name.isEmpty()) {
                        values.add(Map.entry(name, control.attr("value")));
                    }
                }
                case "button" -> {
                    if (type.isEmpty() || type.equals("submit")) {
                        clicked = clicked == null ? control : clicked;
                    }
                }
                case "select" -> {
                    if (!name.isEmpty()) {
                        for (String value : selectedOptions(control)) {
                            values.add(Map.entry(name, value));
                        }
                    }
                }
                case "textarea" -> {
                    if (!name.isEmpty()) {
                        values.add(Map.entry(name, control.wholeText()));
                    }
                }
                default -> {
                    // fieldset, output, object: nothing to send
                }
            }
        }
        if (clicked != null && !clicked.attr("name").isEmpty()) {
            values.add(Map.entry(clicked.attr("name"), clicked.attr("value")));
        }
        return values;
    }

    /** The selected options' values; a single select with none selected sends its first. */
    private static List<String> selectedOptions(Element select) {
        List<Element> options = select.select("option");
        List<String> values = new ArrayList<>();
        for (Element option : options) {
            if (option.hasAttr("selected") && !option.hasAttr("disabled")) {
                values.add(optionValue(option));
            }
        }
        if (values.isEmpty() && !select.hasAttr("multiple") && !options.isEmpty()) {
            values.add(optionValue(options.get(0)));
        }
        return values;
    }

    private static String optionValue(Element option) {
        return option.hasAttr("value") ? option.attr("value") : option.text();
    }

    /** The URL with its query replaced by this one (none when empty), its fragment dropped. */
    private static String withQuery(String url, String query) {
        int end = url.indexOf('#');
        String base = end < 0 ? url : url.substring(0, end);
        int start = base.indexOf('?');
        base = start < 0 ? base : base.substring(0, start);
        return query.isEmpty() ? base : base + "?" + query;
    }
}
