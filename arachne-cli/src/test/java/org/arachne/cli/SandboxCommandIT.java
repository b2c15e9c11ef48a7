package org.arachne.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code arachne sandbox} as a process: it prints the start URLs, serves the demo's site on them,
 * and stops on Ctrl-C (#9: nothing served the examples' 127.0.0.11:8321).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SandboxCommandIT {
    @TempDir Path dir;

    @Test
    void sandbox_servesTheSiteOnItsHosts_untilCtrlC() throws Exception {
        Path err = dir.resolve("err.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process =
                new ProcessBuilder(
                                java,
                                "-cp",
                                System.getProperty("java.class.path"),
                                "org.arachne.cli.Main",
                                "sandbox",
                                "--port",
                                "0",
                                "--pages",
                                "20")
                        .redirectError(err.toFile())
                        .start();
        List<String> urls = new ArrayList<>();
        try {
            BufferedReader out =
                    new BufferedReader(
                            new InputStreamReader(
                                    process.getInputStream(), StandardCharsets.UTF_8));
            for (int i = 0; i < DemoCommand.HOSTS; i++) {
                urls.add(out.readLine());
            }
            assertThat(urls)
                    .allMatch(u -> u.matches("http://127\\.0\\.0\\.1[1-4]:\\d+/"), "a host URL");
            try (HttpClient http = HttpClient.newHttpClient()) {
                for (String url : urls) {
                    HttpResponse<String> page =
                            http.send(
                                    HttpRequest.newBuilder(URI.create(url)).build(),
                                    HttpResponse.BodyHandlers.ofString());
                    assertThat(page.statusCode()).isEqualTo(200);
                    assertThat(page.body()).contains("product_pod");
                }
            }
            Process kill =
                    new ProcessBuilder("kill", "-INT", String.valueOf(process.pid()))
                            .inheritIO()
                            .start();
            assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            process.destroyForcibly();
        }
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(stderr).isEqualTo(ExitCodes.INTERRUPTED);
        int port = URI.create(urls.get(0)).getPort();
        assertThat(stderr)
                .contains("sandbox: 4 hosts x 20 pages on port " + port + " (")
                .contains("serving until Ctrl-C")
                .endsWith("sandbox: stopped\n");
    }
}
