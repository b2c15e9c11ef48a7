package org.arachne.cli;

import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.arachne.item.ItemPipeline;
import org.arachne.item.TransactionalPipeline;
import org.arachne.spider.yaml.DeclarativeSpider;
import org.arachne.spider.yaml.PipelineClass;
import picocli.CommandLine.Option;

/**
 * Item pipelines named by class (#12): a YAML spider's {@code pipelines:} and the command's {@code
 * --pipeline CLASS} options, loaded from the command's {@code -cp}. Each is an {@link ItemPipeline}
 * (or a {@link TransactionalPipeline}) with a public constructor without parameters; the file's
 * come first, in their order, then the options', in theirs.
 */
final class PipelineOptions {
    @Option(
            names = "--pipeline",
            paramLabel = "CLASS",
            description =
                    "An item pipeline: a class implementing org.arachne.item.ItemPipeline (or"
                            + " TransactionalPipeline) with a public no-argument constructor,"
                            + " loaded from -cp; runs after the spider file's pipelines:, in the"
                            + " order given; repeatable.")
    List<String> classNames = new ArrayList<>();

    /**
     * The pipelines of the spider's file, then of {@code --pipeline}, made from the loaded spider's
     * class loader.
     *
     * @throws CliException (config) naming the class and where it was named (the file's line, or
     *     the option) when it cannot be loaded, is not a pipeline, or cannot be made
     */
    List<ItemPipeline> load(Spiders.Loaded loaded, String classPath) {
        List<PipelineClass> named = new ArrayList<>();
        if (loaded.spider() instanceof DeclarativeSpider declarative) {
            named.addAll(declarative.definition().pipelines());
        }
        for (String className : classNames) {
            named.add(new PipelineClass(className.strip(), "--pipeline"));
        }
        List<ItemPipeline> pipelines = new ArrayList<>(named.size());
        for (PipelineClass pipeline : named) {
            pipelines.add(make(pipeline, loaded.classLoader(), classPath));
        }
        return pipelines;
    }

    private static ItemPipeline make(PipelineClass named, ClassLoader loader, String classPath) {
        String className = named.className();
        Class<?> type;
        try {
            type = Class.forName(className, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw problem(
                    named,
                    "cannot load pipeline "
                            + className
                            + (classPath.isBlank() ? " (no -cp given)" : " from " + classPath)
                            + ": "
                            + e);
        }
        if (!ItemPipeline.class.isAssignableFrom(type)) {
            throw problem(
                    named,
                    className
                            + " is not an item pipeline: it implements neither "
                            + ItemPipeline.class.getName()
                            + " nor "
                            + TransactionalPipeline.class.getName());
        }
        if (Modifier.isAbstract(type.getModifiers())) {
            throw problem(named, "pipeline " + className + " is abstract");
        }
        Constructor<?> constructor;
        try {
            constructor = type.getConstructor();
        } catch (NoSuchMethodException e) {
            throw problem(
                    named,
                    "pipeline " + className + " needs a public constructor without parameters");
        }
        try {
            return (ItemPipeline) constructor.newInstance();
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw problem(named, "cannot create pipeline " + className + ": " + cause);
        }
    }

    private static CliException problem(PipelineClass named, String message) {
        return CliException.config(named.where() + ": " + message);
    }
}
