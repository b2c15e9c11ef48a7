package org.arachne.spider;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.arachne.http.Response;

/** A callback that calls a spider method found by name. */
record ReflectiveCallback(Spider spider, Method method) implements Callback {
    private static final long serialVersionUID = 1L;

    @Override
    public void parse(Response response, Output out) throws Exception {
        try {
            method.invoke(spider, response, out);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }
}
