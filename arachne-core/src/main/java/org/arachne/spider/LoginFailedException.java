package org.arachne.spider;

/**
 * A {@link Login} that did not succeed: the page after it says so, or a page it needs is missing.
 * The message says what the user should know (which page, which check), never a credential.
 */
public final class LoginFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LoginFailedException(String message) {
        super(message);
    }
}
