package org.arachne.cli;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.arachne.spider.Spider;
import org.arachne.spider.yaml.DeclarativeSpider;
import org.arachne.spider.yaml.SpiderFileException;
import org.arachne.spider.yaml.YamlSpiders;

/** Loads the spider a command names: a YAML file, or a Java class from a class path. */
final class Spiders {
    private Spiders() {}

    /**
     * A loaded spider, how messages name where it came from (its file, or its class), and the class
     * loader of the command's {@code -cp}, which item pipelines named by class load from.
     */
    record Loaded(Spider spider, String source, ClassLoader classLoader) {}

    /**
     * The spider of a command's {@code SPIDER.yaml} or {@code --class NAME}, a YAML one with its
     * arguments ({@code -a}, refused for a Java spider, which reads its own configuration).
     */
    static Loaded load(
            CrawlCommand.Source source, Map<String, String> arguments, String classPath) {
        if (source.yaml != null) {
            DeclarativeSpider spider = yaml(source.yaml, arguments);
            return new Loaded(spider, source.yaml.toString(), classLoader(classPath));
        }
        if (!arguments.isEmpty()) {
            throw CliException.config(
                    "-a: arguments are for YAML spiders (their ${KEY}); a Java spider reads its"
                            + " own configuration");
        }
        ClassLoader loader = classLoader(classPath);
        return new Loaded(
                javaClass(String.valueOf(source.className), loader, classPath),
                "class " + source.className,
                loader);
    }

    /**
     * Loads a YAML spider with its arguments ({@code -a}).
     *
     * @throws CliException (config) with every problem as {@code FILE:LINE:COLUMN: FIELD: message}
     */
    static DeclarativeSpider yaml(Path file, Map<String, String> arguments) {
        try {
            return YamlSpiders.load(file, arguments);
        } catch (SpiderFileException e) {
            throw CliException.config("bad spider file:\n" + e.getMessage());
        } catch (IOException e) {
            throw CliException.config("cannot read spider file " + file + ": " + e);
        }
    }

    /**
     * The class loader of {@code -cp} (jars or folders, separated by the platform's path separator)
     * over Arachne's own classes; Arachne's own when the path is empty.
     *
     * @throws CliException (config) when a path does not exist
     */
    static ClassLoader classLoader(String classPath) {
        List<URL> urls = new ArrayList<>();
        for (String part : classPath.split(File.pathSeparator)) {
            if (part.isBlank()) {
                continue;
            }
            Path p = Path.of(part);
            if (!Files.exists(p)) {
                throw CliException.config("-cp: " + p + " does not exist");
            }
            try {
                urls.add(p.toUri().toURL());
            } catch (MalformedURLException e) {
                throw CliException.config("-cp: " + p + ": " + e.getMessage());
            }
        }
        // not closed: the spider's classes are used until the JVM exits
        return urls.isEmpty()
                ? Spiders.class.getClassLoader()
                : new URLClassLoader(urls.toArray(URL[]::new), Spiders.class.getClassLoader());
    }

    /**
     * Loads and instantiates a spider class from {@code loader}, the class loader of {@code -cp}
     * ({@link #classLoader}).
     *
     * @throws CliException (config) when the class is missing, is not a {@link Spider}, or has no
     *     public no-argument constructor
     */
    private static Spider javaClass(String className, ClassLoader loader, String classPath) {
        Class<?> type;
        try {
            type = Class.forName(className, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw CliException.config(
                    "--class: cannot load "
                            + className
                            + (classPath.isBlank() ? " (no -cp given)" : " from " + classPath)
                            + ": "
                            + e);
        }
        if (!Spider.class.isAssignableFrom(type)) {
            throw CliException.config(
                    "--class: " + className + " does not implement " + Spider.class.getName());
        }
        if (Modifier.isAbstract(type.getModifiers())) {
            throw CliException.config("--class: " + className + " is abstract");
        }
        Constructor<?> constructor;
        try {
            constructor = type.getConstructor();
        } catch (NoSuchMethodException e) {
            throw CliException.config(
                    "--class: " + className + " needs a public constructor without parameters");
        }
        try {
            return (Spider) constructor.newInstance();
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw CliException.config("--class: cannot create " + className + ": " + cause);
        }
    }
}
