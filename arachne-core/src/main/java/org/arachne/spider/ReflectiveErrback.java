package org.arachne.spider;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/** An errback that calls a spider method found by name. */
record ReflectiveErrback(Spider spider, Method method) implements Errback {
    private static final long serialVersionUID = 1L;

    @Override
    public void failed(Failure failure, Output out) throws Exception {
        try {
            method.invoke(spider, failure, out);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }
}
