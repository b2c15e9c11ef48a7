package org.arachne.spider.yaml;

import java.util.LinkedHashMap;
import java.util.Map;
import org.arachne.http.Forms;
import org.arachne.http.Request;
import org.arachne.http.Response;
import org.arachne.select.Selection;
import org.arachne.spider.Login;
import org.arachne.spider.LoginFailedException;
import org.arachne.url.Urls;
import org.jspecify.annotations.Nullable;

/**
 * The {@link Login} of a {@link LoginDefinition}: a GET of the page with the form, the form
 * submitted with the fields filled in ({@link Forms#fromResponse}), then the page it leads to
 * checked against {@code success} and {@code fail_if}. Failure messages name pages and selectors,
 * never a field's value.
 */
final class FormLogin implements Login {
    private final LoginDefinition definition;

    FormLogin(LoginDefinition definition) {
        this.definition = definition;
    }

    @Override
    public Request start() {
        return Request.get(definition.url());
    }

    @Override
    public @Nullable Request next(Response response, int step) {
        String page = Urls.redacted(response.url());
        if (step == 1) {
            if (response.status() < 200 || response.status() > 299) {
                throw new LoginFailedException(
                        "the login page " + page + " answered " + response.status());
            }
            return submit(response, page);
        }
        if (response.status() >= 400) {
            throw new LoginFailedException(
                    "the login form was answered " + response.status() + " at " + page);
        }
        LoginDefinition.Selector failIf = definition.failIf();
        if (failIf != null && !select(response, failIf).isEmpty()) {
            throw new LoginFailedException(
                    "the page after logging in, "
                            + page
                            + ", matches fail_if ("
                            + failIf
                            + "): are the credentials right?");
        }
        LoginDefinition.Selector success = definition.success();
        if (success != null && select(response, success).isEmpty()) {
            throw new LoginFailedException(
                    "the page after logging in, "
                            + page
                            + ", does not match success ("
                            + success
                            + "): are the credentials right?");
        }
        return null;
    }

    private Request submit(Response response, String page) {
        LoginDefinition.Selector form = definition.form();
        Selection selected = form == null ? response.css("form") : select(response, form);
        if (selected.elements().isEmpty()) {
            throw new LoginFailedException(
                    form == null
                            ? "the login page " + page + " has no form"
                            : "no form matches " + form + " on the login page " + page);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (LoginDefinition.Field field : definition.fields()) {
            fields.put(field.name(), field.value());
        }
        try {
            return Forms.fromResponse(response, selected, fields);
        } catch (IllegalArgumentException e) {
            throw new LoginFailedException(String.valueOf(e.getMessage()));
        }
    }

    private static Selection select(Response response, LoginDefinition.Selector selector) {
        return selector.type() == SelectorType.CSS
                ? response.css(selector.expression())
                : response.xpath(selector.expression());
    }
}
