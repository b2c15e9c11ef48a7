package org.arachne.cli;

import static org.arachne.cli.ChildCrawls.assertNoStackTrace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.arachne.cli.ChildCrawls.Ended;
import org.arachne.item.export.Feed;
import org.arachne.sandbox.Sandbox;
import org.arachne.sandbox.SiteManifest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A job dir under faults, with real {@code arachne crawl} processes (#10): a second process on a
 * job dir in use, damaged, foreign, newer or another spider's job dirs, a file-size limit ({@code
 * ulimit -f}) that the output or the database hits mid-crawl, and a full disk under the job dir (a
 * small tmpfs in a private mount namespace). Each is refused or stops cleanly with one line that
 * says what failed, with its exit code, leaves the outputs whole, and the next run, once the fault
 * is gone, ends with exactly the manifest's items.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class JobDirFaultsIT {
    private static final List<String> HOSTS = List.of("127.0.0.101", "127.0.0.102");
    private static final int PAGES_PER_HOST = 100;
    private static final int CONCURRENCY = 4;
    private static final Duration RUN_LIMIT = Duration.ofSeconds(90);
    private static Sandbox sandbox;
    private static SiteManifest manifest;

    @TempDir Path dir;

    @BeforeAll
    static void startSandbox() throws IOException {
        Sandbox.Builder builder = Sandbox.builder().hosts(HOSTS).pagesPerHost(PAGES_PER_HOST);
        for (String host : HOSTS) {
            builder.latency(host, Duration.ofMillis(20)); // a crawl of a second or two
        }
        sandbox = builder.build().start();
        manifest = sandbox.manifest();
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    private Process start(List<String> command, Path err) throws IOException {
        return ChildCrawls.start(command, err);
    }

    private Ended ended(Process process, Path err) throws Exception {
        return ChildCrawls.ended(process, err, RUN_LIMIT);
    }

    private Ended run(List<String> command) throws Exception {
        return ChildCrawls.run(command, dir, RUN_LIMIT);
    }

    private static List<String> crawl(Path spider, Path job, String... outputs) {
        List<String> args = new ArrayList<>(List.of("crawl", spider.toString()));
        args.addAll(List.of(outputs));
        args.addAll(List.of("--job-dir", job.toString()));
        return ChildCrawls.command(args.toArray(String[]::new));
    }

    /** Under {@code ulimit -f}: no file the process writes can grow past this many KiB. */
    private static List<String> limited(int kib, List<String> command) {
        return List.of(
                "bash", "-c", "ulimit -f " + kib + " && exec " + ChildCrawls.shellWords(command));
    }

    private static void assertHoldsTheManifest(Path out) throws IOException {
        List<Map<String, Object>> items = OutputFiles.readItems(Feed.of(out, false));
        assertThat(items).hasSize((int) manifest.itemsTotal());
        assertThat(SiteManifest.itemsHash(items)).isEqualTo(manifest.itemsMultisetHash());
    }

    /** Every line a JSON object with a title, and the file ends on a whole line. */
    private static void assertWholeRecords(Path out) throws IOException {
        byte[] bytes = Files.readAllBytes(out);
        assertThat(bytes).isNotEmpty();
        assertThat(bytes[bytes.length - 1]).as("ends on a whole record").isEqualTo((byte) '\n');
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
            assertThat(json.readTree(line).get("title")).as(line).isNotNull();
        }
    }

    @Test
    void secondProcess_onAJobDirInUse_isRefusedAtOnce_andTheFirstGoesOnUndisturbed()
            throws Exception {
        sandbox.reset();
        Path spider = ChildCrawls.bookSpider(dir, sandbox, "books", CONCURRENCY);
        Path job = dir.resolve("job");
        Path out = dir.resolve("books.jsonl");
        Path firstErr = dir.resolve("first.txt");
        Process first = start(crawl(spider, job, "-o", out.toString()), firstErr);
        try {
            await().atMost(RUN_LIMIT)
                    .pollInterval(Duration.ofMillis(5))
                    .until(
                            () ->
                                    ChildCrawls.pagesFetched(sandbox).size() >= 10
                                            || !first.isAlive());
            assertThat(first.isAlive()).as("the first crawl still runs").isTrue();
            // stopped (SIGSTOP), the first keeps its lock and fetches nothing: whatever the
            // sandbox serves meanwhile, and whatever changes in the output, is the second's doing
            ChildCrawls.signal(first, "STOP");
            int fetchedBefore = ChildCrawls.pagesFetched(sandbox).size();
            byte[] outBefore = Files.readAllBytes(out);
            Ended second = run(crawl(spider, job, "-O", out.toString()));
            int fetchedDuring = ChildCrawls.pagesFetched(sandbox).size() - fetchedBefore;
            byte[] outAfter = Files.readAllBytes(out);
            ChildCrawls.signal(first, "CONT");

            assertThat(second.exitCode()).as(second.toString()).isEqualTo(ExitCodes.JOB_DIR_IN_USE);
            assertThat(second.stderr().strip())
                    .as(second.toString())
                    .startsWith("arachne: ")
                    .doesNotContain("\n")
                    .contains("the job dir " + job + " is in use by another crawl")
                    .contains("process " + first.pid());
            assertThat(fetchedDuring).as("pages the second crawl fetched").isZero();
            assertThat(outAfter).as("the output, -O or not").isEqualTo(outBefore);
        } finally {
            if (first.isAlive()) {
                ChildCrawls.signal(first, "CONT");
            }
        }
        Ended firstEnded = ended(first, firstErr);
        assertThat(firstEnded.exitCode()).as(firstEnded.toString()).isZero();
        assertNoStackTrace(firstEnded);
        assertHoldsTheManifest(out);
        assertThat(ChildCrawls.pagesFetched(sandbox))
                .as("every page once")
                .hasSize(manifest.crawlablePages())
                .doesNotHaveDuplicates();
    }

    /** What is wrong with a job dir; each is refused with a message that contains its words. */
    enum Damage {
        EMPTY("frontier.db is not a SQLite database (it is empty)"),
        GARBAGE("frontier.db is not a SQLite database (its first bytes are no SQLite header)"),
        TRUNCATED("frontier.db is truncated"),
        DAMAGED_PAGES("the file is damaged"),
        FOREIGN("frontier.db is a SQLite database but not a job dir's"),
        NEWER_SCHEMA("frontier.db was written by a newer Arachne (schema version 99"),
        WAL_WITHOUT_DATABASE("frontier.db-wal is left without its frontier.db"),
        ANOTHER_SPIDER("holds the crawl 'books', not 'magazines'");

        final String said;

        Damage(String said) {
            this.said = said;
        }
    }

    @TempDir static Path shared;

    private static @Nullable Path resumable;

    /** A job dir and its output, left by a crawl closed after 60 pages: a job to resume. */
    private static synchronized Path resumable() throws Exception {
        if (resumable == null) {
            Path spider = ChildCrawls.bookSpider(shared, sandbox, "books", CONCURRENCY);
            List<String> command =
                    new ArrayList<>(
                            crawl(spider, shared.resolve("job"), "-o", shared + "/books.jsonl"));
            command.addAll(List.of("-s", "closespider_pagecount=60"));
            Process process =
                    new ProcessBuilder(command)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .redirectError(ProcessBuilder.Redirect.DISCARD)
                            .start();
            assertThat(process.waitFor(RUN_LIMIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isZero();
            assertThat(Files.size(shared.resolve("books.jsonl"))).isPositive();
            resumable = shared;
        }
        return resumable;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }

    /** Every file under the directory and its bytes, the job dir's lock file left out. */
    private static Map<String, byte[]> contents(Path root) throws IOException {
        Map<String, byte[]> contents = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                if (!file.getFileName().toString().equals("frontier.lock")) {
                    contents.put(root.relativize(file).toString(), Files.readAllBytes(file));
                }
            }
        }
        return contents;
    }

    private static void damage(Damage damage, Path job, Path spider) throws Exception {
        Path db = job.resolve("frontier.db");
        switch (damage) {
            case EMPTY -> Files.write(db, new byte[0]);
            case GARBAGE -> Files.write(db, randomBytes((int) Files.size(db)));
            case TRUNCATED -> {
                byte[] bytes = Files.readAllBytes(db);
                Files.write(db, Arrays.copyOf(bytes, bytes.length / 2));
            }
            case DAMAGED_PAGES -> {
                // every page but the first (the header and the schema) overwritten
                byte[] bytes = Files.readAllBytes(db);
                byte[] noise = randomBytes(bytes.length);
                System.arraycopy(noise, 4096, bytes, 4096, bytes.length - 4096);
                Files.write(db, bytes);
            }
            case FOREIGN -> {
                Files.delete(db);
                sql(db, "CREATE TABLE notes (text TEXT)", "INSERT INTO notes VALUES ('mine')");
            }
            case NEWER_SCHEMA -> sql(db, "PRAGMA user_version = 99");
            case WAL_WITHOUT_DATABASE -> {
                Files.delete(db);
                Files.write(job.resolve("frontier.db-wal"), randomBytes(32 * 1024));
            }
            case ANOTHER_SPIDER ->
                    Files.writeString(
                            spider,
                            Files.readString(spider, StandardCharsets.UTF_8)
                                    .replace("name: books", "name: magazines"),
                            StandardCharsets.UTF_8);
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new Random(n).nextBytes(bytes);
        return bytes;
    }

    private static void sql(Path db, String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void unusableJobDir_isRefusedNamingTheFile_andNothingIsTouched(Damage damage) throws Exception {
        Path copy = Files.createDirectories(dir.resolve("copy"));
        copyTree(resumable(), copy);
        Path job = copy.resolve("job");
        Path out = copy.resolve("books.jsonl");
        Path spider = copy.resolve("books.yaml");
        damage(damage, job, spider);
        Map<String, byte[]> before = contents(copy);
        sandbox.reset();

        // -O: a fresh start would empty the output
        Ended ended = run(crawl(spider, job, "-O", out.toString()));

        assertThat(ended.exitCode()).as(ended.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(ended.stderr().strip())
                .as(ended.toString())
                .startsWith("arachne: cannot start the crawl: ")
                .doesNotContain("\n")
                .contains(damage.said)
                .contains(damage == Damage.ANOTHER_SPIDER ? job.toString() : job + "/frontier.db")
                .containsAnyOf("delete the job dir", "delete it");
        assertNoStackTrace(ended);
        Map<String, byte[]> after = contents(copy);
        assertThat(after.keySet()).isEqualTo(before.keySet());
        after.forEach((file, bytes) -> assertThat(bytes).as(file).isEqualTo(before.get(file)));
        assertThat(ChildCrawls.pagesFetched(sandbox)).as("pages fetched").isEmpty();
    }

    @Test
    void fileSizeLimitHitByTheOutput_stopsCleanly_andTheResumeWithoutItGivesTheManifest()
            throws Exception {
        sandbox.reset();
        // each item carries its page's text (about 13 KB), so that the output outgrows the WAL
        // (at most a few MiB between checkpoints) and meets the limit first
        Path spider =
                ChildCrawls.bookSpider(
                        dir,
                        sandbox,
                        "books",
                        CONCURRENCY,
                        "page: {xpath: \"normalize-space(//body)\"}");
        Path job = dir.resolve("job");
        Path out = dir.resolve("books.jsonl");
        int limitKib = 12 * 1024;

        Ended limited = run(limited(limitKib, crawl(spider, job, "-o", out.toString())));

        assertThat(limited.exitCode()).as(limited.toString()).isEqualTo(ExitCodes.OUTPUT_FAILED);
        assertThat(limited.stderr())
                .as(limited.toString())
                .contains("cannot write " + out + ": File too large")
                .doesNotContain("frontier failed");
        assertNoStackTrace(limited);
        assertThat(Files.size(out)).isLessThanOrEqualTo(limitKib * 1024L);
        assertWholeRecords(out);

        Ended resumed = run(crawl(spider, job, "-o", out.toString()));

        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
        assertThat(resumed.stderr()).contains("resuming");
        assertNoStackTrace(resumed);
        assertHoldsTheManifest(out);
    }

    @Test
    void fileSizeLimitHitByTheDatabase_stopsCleanlyNamingIt_andTheResumeWithoutItGivesTheManifest()
            throws Exception {
        sandbox.reset();
        // small items: the database's WAL (a few MiB between checkpoints) meets the limit, the
        // output (about 300 KB) never does; SQLite gets EFBIG, an I/O error
        Path spider = ChildCrawls.bookSpider(dir, sandbox, "books", CONCURRENCY);
        Path job = dir.resolve("job");
        Path out = dir.resolve("books.jsonl");

        Ended limited = run(limited(2048, crawl(spider, job, "-o", out.toString())));

        assertThat(limited.exitCode()).as(limited.toString()).isEqualTo(ExitCodes.OUTPUT_FAILED);
        assertThat(limited.stderr())
                .as(limited.toString())
                .contains("the job dir's database " + job + "/frontier.db failed")
                .contains("disk I/O error")
                .contains("then run the same command again");
        assertNoStackTrace(limited);
        assertWholeRecords(out);

        Ended resumed = run(crawl(spider, job, "-o", out.toString()));

        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
        assertThat(resumed.stderr()).contains("resuming");
        assertNoStackTrace(resumed);
        assertHoldsTheManifest(out);
    }

    /** Files under a directory, by their path in it. */
    private static List<String> filesUnder(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .map(f -> root.relativize(f).toString())
                    .sorted()
                    .toList();
        }
    }

    @Test
    void killedCrawls_leaveNoCopyOfANativeLibraryBehind() throws Exception {
        // sqlite-jdbc by itself writes a copy (1.1 MB) into java.io.tmpdir at every start and
        // deletes it at a normal exit only (sqlite-jdbc#1140): each kill -9 left one for good
        sandbox.reset();
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path spider = ChildCrawls.bookSpider(dir, sandbox, "books", CONCURRENCY);
        Path job = dir.resolve("job");
        Path out = dir.resolve("books.jsonl");
        List<String> args = new ArrayList<>(List.of("crawl", spider.toString()));
        args.addAll(List.of("-o", out.toString(), "--job-dir", job.toString()));
        List<String> command =
                ChildCrawls.command(
                        List.of("-Djava.io.tmpdir=" + tmp), args.toArray(String[]::new));
        for (int kill = 1; kill <= 3; kill++) {
            int stopAt = manifest.crawlablePages() * kill / 4;
            Path err = dir.resolve("killed-" + kill + ".txt");
            Process process = start(command, err);
            try {
                await().atMost(RUN_LIMIT)
                        .pollInterval(Duration.ofMillis(5))
                        .until(
                                () ->
                                        new HashSet<>(ChildCrawls.pagesFetched(sandbox)).size()
                                                        >= stopAt
                                                || !process.isAlive());
                assertThat(process.isAlive()).as("crawl %d still runs", kill).isTrue();
                ChildCrawls.signal(process, "KILL");
            } finally {
                ended(process, err);
            }
        }
        String user = System.getProperty("user.name");
        Path brotli = tmp.resolve("arachne-" + user).resolve("brotli4j");
        assertThat(filesUnder(tmp))
                .as("brotli4j's copies of the killed crawls, in this user's folder")
                .filteredOn(f -> f.contains("brotli"))
                .hasSize(3)
                .allSatisfy(f -> assertThat(f).startsWith("arachne-" + user + "/brotli4j/"));
        try (Stream<Path> copies = Files.list(brotli)) {
            for (Path copy : copies.toList()) { // as if killed long enough ago
                Files.setLastModifiedTime(
                        copy, FileTime.from(Instant.now().minus(Duration.ofMinutes(5))));
            }
        }
        Ended last = run(command);
        assertThat(last.exitCode()).as(last.toString()).isZero();
        assertHoldsTheManifest(out);
        assertThat(filesUnder(tmp))
                .as("what 4 crawls, 3 of them killed, left in java.io.tmpdir")
                .singleElement()
                .asString()
                .startsWith("arachne-" + user + "/sqlite-jdbc-")
                .endsWith("libsqlitejdbc.so");
    }

    @Test
    void
            fileSizeLimitBelowSqlitesNativeLibrary_refusesTheFirstStartNamingIt_andLaterStartsNeedNoRoom()
                    throws Exception {
        sandbox.reset();
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path spider = ChildCrawls.bookSpider(dir, sandbox, "books", CONCURRENCY);
        Path job = dir.resolve("job");
        Path out = dir.resolve("books.jsonl");
        List<String> args = new ArrayList<>(List.of("crawl", spider.toString()));
        args.addAll(List.of("-o", out.toString(), "--job-dir", job.toString()));
        List<String> command =
                ChildCrawls.command(
                        List.of("-Djava.io.tmpdir=" + tmp), args.toArray(String[]::new));

        // the library (1.1 MB) cannot be written under 512 KiB: said in one line
        Ended first = run(limited(512, command));

        assertThat(first.exitCode()).as(first.toString()).isEqualTo(ExitCodes.OUTPUT_FAILED);
        assertThat(first.stderr().strip())
                .as(first.toString())
                .startsWith("arachne: cannot start the crawl: cannot write SQLite's native library")
                .contains(tmp.resolve("arachne-" + System.getProperty("user.name")).toString())
                .contains("File too large")
                .doesNotContain("\n");
        assertThat(filesUnder(tmp)).as("nothing half written").isEmpty();

        Ended unlimited = run(command);
        assertThat(unlimited.exitCode()).as(unlimited.toString()).isZero();
        assertHoldsTheManifest(out);

        // the library is there now: under the same limit the crawl starts (and, the job
        // finished, says so)
        Ended again = run(limited(512, command));
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.stderr()).contains("finished in an earlier run");
        assertNoStackTrace(again);
    }

    /**
     * A tmpfs of {@code size} mounted on {@code mountPoint} in a mount namespace of its own, alive
     * as long as this holder process: commands run in it through {@code nsenter}, and nobody else
     * sees it. Needs root, or unprivileged user namespaces (then the namespace maps this user to
     * root).
     */
    private record PrivateTmpfs(Process holder, Path mountPoint, boolean userNamespace)
            implements AutoCloseable {
        static PrivateTmpfs mount(Path mountPoint, String size) throws IOException {
            boolean root = "root".equals(System.getProperty("user.name"));
            List<String> command = new ArrayList<>(List.of("unshare"));
            if (!root) {
                command.addAll(List.of("--user", "--map-root-user"));
            }
            command.addAll(
                    List.of(
                            "--mount",
                            "--propagation",
                            "private",
                            "sh",
                            "-c",
                            "mount -t tmpfs -o size="
                                    + size
                                    + " tmpfs '"
                                    + mountPoint
                                    + "' && echo mounted && exec cat"));
            Process holder = new ProcessBuilder(command).redirectErrorStream(true).start();
            BufferedReader said =
                    new BufferedReader(
                            new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            String line = said.readLine();
            if (!"mounted".equals(line)) {
                holder.destroyForcibly();
                throw new AssertionError(
                        "cannot mount a tmpfs in a private mount namespace ("
                                + line
                                + "): this test needs root or unprivileged user namespaces, and"
                                + " unshare and nsenter (util-linux)");
            }
            return new PrivateTmpfs(holder, mountPoint, !root);
        }

        List<String> inside(List<String> command) {
            List<String> entered = new ArrayList<>(List.of("nsenter", "-t", "" + holder.pid()));
            if (userNamespace) {
                entered.addAll(List.of("--user", "--preserve-credentials"));
            }
            entered.add("--mount");
            // nsenter starts in the namespace's root directory: paths are absolute
            entered.addAll(command);
            return entered;
        }

        void resize(String size) throws Exception {
            Process remount =
                    new ProcessBuilder(
                                    inside(
                                            List.of(
                                                    "mount",
                                                    // only these options: the ones mountinfo
                                                    // lists (uid=) are not all valid in a user
                                                    // namespace
                                                    "--options-mode",
                                                    "ignore",
                                                    "-o",
                                                    "remount,size=" + size,
                                                    mountPoint.toString())))
                            .redirectErrorStream(true)
                            .start();
            assertThat(remount.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(remount.exitValue())
                    .as(new String(remount.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                    .isZero();
        }

        /** Ends the holder: the namespace and its tmpfs go with it. */
        @Override
        public void close() throws IOException {
            holder.getOutputStream().close();
            try {
                if (!holder.waitFor(10, TimeUnit.SECONDS)) {
                    holder.destroyForcibly();
                }
            } catch (InterruptedException e) {
                holder.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void diskFullUnderTheJobDir_stopsCleanlySayingWhatFailed_andTheRunAfterSpaceIsFreedResumes()
            throws Exception {
        sandbox.reset();
        Path spider = ChildCrawls.bookSpider(dir, sandbox, "books", CONCURRENCY).toAbsolutePath();
        Path job = Files.createDirectories(dir.resolve("job")).toAbsolutePath();
        Path out = dir.resolve("books.jsonl").toAbsolutePath();
        List<String> command = crawl(spider, job, "-o", out.toString());
        try (PrivateTmpfs disk = PrivateTmpfs.mount(job, "1m")) {
            Ended full = run(disk.inside(command));

            assertThat(full.exitCode()).as(full.toString()).isEqualTo(ExitCodes.OUTPUT_FAILED);
            assertThat(full.stderr())
                    .as(full.toString())
                    .contains("the job dir's database " + job + "/frontier.db failed")
                    .contains("database or disk is full")
                    .contains("free some space");
            assertNoStackTrace(full);
            assertWholeRecords(out);

            // still full: the same, and what was committed stays
            Ended stillFull = run(disk.inside(command));

            assertThat(stillFull.exitCode())
                    .as(stillFull.toString())
                    .isEqualTo(ExitCodes.OUTPUT_FAILED);
            assertThat(stillFull.stderr()).as(stillFull.toString()).contains("free some space");
            assertNoStackTrace(stillFull);
            assertWholeRecords(out);

            disk.resize("64m");
            Ended resumed = run(disk.inside(command));

            assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
            assertThat(resumed.stderr()).contains("resuming");
            assertNoStackTrace(resumed);
        }
        assertHoldsTheManifest(out);
        assertThat(new HashSet<>(ChildCrawls.pagesFetched(sandbox)))
                .as("every page fetched")
                .hasSize(manifest.crawlablePages());
    }
}
