package org.arachne.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.lang.model.SourceVersion;
import org.arachne.url.Urls;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code arachne new project DIR}: writes a Maven project with a Java spider, a test that runs the
 * spider's callback on a saved page through {@link org.arachne.engine.CallbackTrial} (the contract
 * test against a local fixture), a README and a {@code .gitignore} (#12). The project depends on
 * {@code org.arachne:arachne-core} of this Arachne's version and builds with the plugin and JUnit
 * versions Arachne's own build pins, so it builds offline once {@code ./arachne install} ran.
 *
 * <p>Errors: a DIR that exists and is not empty, a package or name that is no Java name, or a start
 * URL that is not http(s) is a config error (exit 3) naming the option; nothing is written then.
 */
@Command(
        name = "project",
        mixinStandardHelpOptions = true,
        description = "Write a Maven project with a Java spider, a test on a saved page, a README.")
final class NewProjectCommand implements Callable<Integer> {
    /**
     * The sandbox site's first host ({@code ./arachne sandbox}), a start URL that works at once.
     */
    static final String SANDBOX_URL = "http://127.0.0.11:" + SandboxCommand.EXAMPLES_PORT + "/";

    private static final String TEMPLATES = "/org/arachne/cli/newproject/";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([\\w.-]+)}}");

    @Spec CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "DIR",
            description = "Where to write the project: a new or empty directory.")
    Path dir;

    @Option(
            names = "--package",
            paramLabel = "NAME",
            description =
                    "The spider's Java package, also the project's groupId (default:"
                            + " ${DEFAULT-VALUE}).")
    String packageName = "org.example.spiders";

    @Option(
            names = "--name",
            paramLabel = "NAME",
            description =
                    "The spider's name, also the artifactId; its class is the name in PascalCase"
                            + " with Spider (default: DIR's name).")
    String name;

    @Option(
            names = "--url",
            paramLabel = "URL",
            description = "The start URL (default: ${DEFAULT-VALUE}, the sandbox site).")
    String url = SANDBOX_URL;

    @Override
    public Integer call() throws IOException {
        String spiderName = spiderName();
        String className = className(spiderName);
        checkPackage();
        String startUrl = startUrl();
        refuseNonEmpty(dir);

        Map<String, String> values = new LinkedHashMap<>(versions());
        values.put("package", packageName);
        values.put("packagePath", packageName.replace('.', '/'));
        values.put("groupId", packageName);
        values.put("artifactId", spiderName);
        values.put("name", spiderName);
        values.put("class", className);
        values.put("url", javaString(startUrl));
        values.put("domain", javaString(Urls.host(startUrl)));
        // the absolute URLs the saved page's relative links resolve to, as the spider resolves them
        values.put("book1.link", link(startUrl, "catalogue/a-light-in-the-attic_1000/index.html"));
        values.put("book2.link", link(startUrl, "catalogue/tipping-the-velvet_999/index.html"));
        values.put("next.link", link(startUrl, "catalogue/page-2.html"));
        values.put(
                "sandboxNote",
                startUrl.equals(SANDBOX_URL)
                        ? ": the sandbox site, which `./arachne sandbox` serves from an Arachne"
                                + " checkout"
                        : "");

        Path sources = dir.resolve("src/main/java").resolve(values.get("packagePath"));
        Path tests = dir.resolve("src/test/java").resolve(values.get("packagePath"));
        Map<Path, String> files = new LinkedHashMap<>();
        files.put(dir.resolve("pom.xml"), "pom.xml.txt");
        files.put(sources.resolve(className + ".java"), "Spider.java.txt");
        files.put(tests.resolve(className + "Test.java"), "SpiderTest.java.txt");
        files.put(dir.resolve("src/main/resources/logback.xml"), "logback.xml");
        files.put(dir.resolve("src/test/resources/fixtures/listing.html"), "listing.html");
        files.put(dir.resolve("README.md"), "README.md.txt");
        files.put(dir.resolve(".gitignore"), "gitignore.txt");
        for (Map.Entry<Path, String> file : files.entrySet()) {
            Files.createDirectories(file.getKey().getParent());
            Files.writeString(file.getKey(), fill(template(file.getValue()), values));
        }

        var out = spec.commandLine().getOut();
        out.println("wrote a Maven project for the spider '" + spiderName + "' in " + dir);
        out.println("  " + dir.relativize(sources.resolve(className + ".java")));
        out.println("  " + dir.relativize(tests.resolve(className + "Test.java")));
        out.println(
                "build and test it with `mvn verify` in "
                        + dir
                        + " (after `./arachne install` in an Arachne checkout)");
        out.flush();
        return ExitCodes.OK;
    }

    private String spiderName() {
        String given = name;
        if (given == null) {
            Path last = dir.toAbsolutePath().normalize().getFileName();
            given = last == null ? "" : last.toString();
        }
        String cleaned =
                given.toLowerCase(Locale.ROOT)
                        .replaceAll("[^a-z0-9]+", "-")
                        .replaceAll("^-|-$", "");
        if (cleaned.isEmpty() || !Character.isLetter(cleaned.charAt(0))) {
            throw CliException.config(
                    (name == null ? "DIR's name '" : "--name '")
                            + given
                            + "' must start with a letter (a-z); give the spider a --name");
        }
        return cleaned;
    }

    private static String className(String spiderName) {
        StringBuilder sb = new StringBuilder();
        for (String word : spiderName.split("-")) {
            sb.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
        }
        return sb.append("Spider").toString();
    }

    private void checkPackage() {
        if (!SourceVersion.isName(packageName, SourceVersion.RELEASE_21)) {
            throw CliException.config(
                    "--package '"
                            + packageName
                            + "' is not a Java package name (dot-separated identifiers, no"
                            + " keywords, e.g. org.example.spiders)");
        }
    }

    private String startUrl() {
        String normal;
        try {
            normal = Urls.requestUrl(url);
        } catch (IllegalArgumentException e) {
            throw CliException.config("--url '" + url + "': " + e.getMessage());
        }
        if (!Urls.isHttp(normal)) {
            throw CliException.config("--url '" + url + "' is not an http or https URL");
        }
        return normal;
    }

    private static void refuseNonEmpty(Path dir) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw CliException.config(dir + " exists and is not a directory");
        }
        if (Files.isDirectory(dir)) {
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw CliException.config(dir + " is not empty; give a new or empty directory");
                }
            }
        }
    }

    private static String link(String base, String href) {
        return javaString(Urls.resolve(base, href));
    }

    /** The text inside a Java string literal for {@code s}. */
    private static String javaString(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static Map<String, String> versions() {
        Properties p = new Properties();
        try (InputStream in = resource("versions.properties")) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> versions = new LinkedHashMap<>();
        for (String key : p.stringPropertyNames()) {
            versions.put(key, p.getProperty(key));
        }
        return versions;
    }

    private static String template(String file) {
        try (InputStream in = resource(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resource(String file) {
        InputStream in = NewProjectCommand.class.getResourceAsStream(TEMPLATES + file);
        if (in == null) {
            throw new IllegalStateException("the jar has no template " + TEMPLATES + file);
        }
        return in;
    }

    /** The template with each {@code {{key}}} replaced; a key without a value is a bug here. */
    static String fill(String template, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalStateException("no value for {{" + m.group(1) + "}}");
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        return m.appendTail(sb).toString();
    }
}
