package org.arachne.frontier;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.arachne.http.Body;
import org.arachne.http.Request;
import org.arachne.item.export.Exporters;
import org.jspecify.annotations.Nullable;

/**
 * The database of a {@link SqliteFrontier}: {@code frontier.db} in the job dir, opened through one
 * connection that does every read and write. Each write is one transaction ({@link #commit}), WAL
 * mode with {@code synchronous=NORMAL}: a committed transaction survives the process being killed;
 * after a power loss the database is intact and holds a prefix of the commits.
 *
 * <p>Errors: every {@link SQLException} becomes a {@link FrontierException} (not transient) naming
 * the file; after a failed write the store refuses every call, since the frontier's memory no
 * longer matches what was committed. Not thread-safe: the frontier calls it under its lock.
 */
final class SqliteStore implements AutoCloseable {
    static final String FILE_NAME = "frontier.db";

    /** The schema this code writes; {@code PRAGMA user_version} of the file. */
    static final int SCHEMA_VERSION = 4;

    /** {@code PRAGMA application_id} of every job dir database: "Arac". */
    static final int APPLICATION_ID = 0x41726163;

    /** What to do with a job dir that cannot be used as it is. */
    static final String START_AFRESH = "delete the job dir to start afresh, or choose another one";

    /** What to do when the job dir's files cannot be written. */
    static final String MEND_AND_RUN_AGAIN =
            "free some space (or lift the file-size limit), then run the same command again: it"
                    + " goes on from the last commit";

    private static final byte[] SQLITE_HEADER =
            "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    /**
     * Every page fetched: its fingerprint, when (epoch milliseconds), its validators, the hash of
     * its body (16 bytes), and the request that fetches it again (recrawl, #10). Appended in the
     * order of the commits, with no index at all, so that a commit writes the table's last page
     * only (version 3 kept it by fingerprint, and each {@code done} wrote a page where its
     * fingerprint fell: two thirds of the WAL). A page fetched again is appended again; a recrawl
     * keeps the newest row of each fingerprint ({@link #requeuePages}).
     */
    private static final String PAGES_TABLE =
            "CREATE TABLE pages (id INTEGER PRIMARY KEY, high INTEGER NOT NULL,"
                    + " low INTEGER NOT NULL, fetched_at INTEGER NOT NULL, etag TEXT,"
                    + " last_modified TEXT, content_hash BLOB, request BLOB NOT NULL)";

    /** The pages table of schema version 3, by fingerprint (for the migrations from 2). */
    private static final String PAGES_TABLE_V3 =
            "CREATE TABLE pages (high INTEGER NOT NULL, low INTEGER NOT NULL,"
                    + " fetched_at INTEGER NOT NULL, etag TEXT, last_modified TEXT,"
                    + " content_hash BLOB, request BLOB NOT NULL,"
                    + " PRIMARY KEY (high, low)) WITHOUT ROWID";

    private static final String PAGE_COLUMNS =
            "high, low, fetched_at, etag, last_modified, content_hash, request";

    /**
     * One row per open of the frontier: its process, when it started and, once the engine said so
     * ({@code runEnded}), when and how it ended and the leases still out then; a run without an end
     * was killed, or is still running. In ISO-8601 text.
     */
    private static final String RUNS_TABLE =
            "CREATE TABLE runs (id INTEGER PRIMARY KEY, pid INTEGER NOT NULL,"
                    + " started TEXT NOT NULL, ended TEXT, status TEXT, reason TEXT,"
                    + " in_flight INTEGER)";

    /**
     * Queue rows leased out, as of the last commit (a take is written with the next commit, not one
     * of its own): what a killed run had in flight, for {@code arachne jobs}. Emptied at open.
     */
    private static final String LEASED_TABLE = "CREATE TABLE leased (id INTEGER PRIMARY KEY)";

    /**
     * Version 4: what each origin's last robots.txt fetch found ({@link RobotsTxtRecord}), so that
     * a resumed crawl neither fetches it again within its 24 hours nor forgets its Crawl-delay:
     * {@code fetched_at} in epoch milliseconds (the wall clock), {@code kind} {@code rules} or
     * {@code allow_all}, the body as fetched (null when empty) last, so a scan of the other columns
     * reads no overflow pages; {@code crawl_delay} in milliseconds as asked, 0 for none.
     */
    private static final String ROBOTS_TABLE =
            "CREATE TABLE robots (origin TEXT PRIMARY KEY, fetched_at INTEGER NOT NULL,"
                    + " kind TEXT NOT NULL, crawl_delay INTEGER NOT NULL, content_type TEXT,"
                    + " body BLOB)";

    /** The few origins with a Crawl-delay, read at the start of each run. */
    private static final String ROBOTS_DELAY_INDEX =
            "CREATE INDEX robots_crawl_delay ON robots (origin) WHERE crawl_delay > 0";

    private static final List<String> SCHEMA =
            List.of(
                    "CREATE TABLE meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID",
                    "CREATE TABLE slots (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)",
                    // rank_*: the crawl order as numbers, ascending (StoredRequest); not_before:
                    // epoch milliseconds a retried request waits for, 0 for none
                    "CREATE TABLE queue (id INTEGER PRIMARY KEY, slot INTEGER NOT NULL,"
                            + " rank_priority INTEGER NOT NULL, rank_depth INTEGER NOT NULL,"
                            + " rank_sequence INTEGER NOT NULL,"
                            + " not_before INTEGER NOT NULL DEFAULT 0, request BLOB NOT NULL)",
                    "CREATE INDEX queue_order"
                            + " ON queue (slot, rank_priority, rank_depth, rank_sequence)",
                    "CREATE INDEX queue_waiting ON queue (not_before) WHERE not_before > 0",
                    // the seen set as a log of fingerprints (all of them for exact dedup; those
                    // since the last saved filter for a Bloom filter)
                    "CREATE TABLE seen (high INTEGER NOT NULL, low INTEGER NOT NULL)",
                    "CREATE TABLE outbox (seq INTEGER PRIMARY KEY, source BLOB NOT NULL,"
                            + " items BLOB NOT NULL)",
                    // last_status: the HTTP status of the last response, 0 for none (v2)
                    "CREATE TABLE dead_letters (id INTEGER PRIMARY KEY, url TEXT NOT NULL,"
                            + " reason TEXT NOT NULL, attempts INTEGER NOT NULL,"
                            + " failed_at TEXT NOT NULL, request BLOB NOT NULL,"
                            + " last_status INTEGER NOT NULL DEFAULT 0)",
                    RUNS_TABLE,
                    LEASED_TABLE,
                    "CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL)"
                            + " WITHOUT ROWID",
                    // where each feed's file ended at the last acknowledgement (FeedFile.key)
                    "CREATE TABLE feed_positions (feed TEXT PRIMARY KEY,"
                            + " position INTEGER NOT NULL) WITHOUT ROWID",
                    PAGES_TABLE,
                    ROBOTS_TABLE,
                    ROBOTS_DELAY_INDEX);

    /**
     * The migration hook: entry {@code v - 1} brings a database of schema version {@code v} to
     * {@code v + 1}, in one transaction with the version's change.
     */
    private static final List<List<String>> MIGRATIONS =
            List.of(
                    // 1 to 2: the last status of dead letters, the runs, the leased rows (#10)
                    List.of(
                            "ALTER TABLE dead_letters"
                                    + " ADD COLUMN last_status INTEGER NOT NULL DEFAULT 0",
                            RUNS_TABLE,
                            LEASED_TABLE),
                    // 2 to 3: the pages fetched, for recrawls (#10)
                    List.of(PAGES_TABLE_V3),
                    // 3 to 4: the pages in commit order, not by fingerprint; the robots.txt
                    // fetched, with their Crawl-delay (#10)
                    List.of(
                            "ALTER TABLE pages RENAME TO pages_v3",
                            PAGES_TABLE,
                            "INSERT INTO pages ("
                                    + PAGE_COLUMNS
                                    + ") SELECT "
                                    + PAGE_COLUMNS
                                    + " FROM pages_v3",
                            "DROP TABLE pages_v3",
                            ROBOTS_TABLE,
                            ROBOTS_DELAY_INDEX));

    // SQLite's primary result codes (sqlite3.h) of a failure of the files, not of their content
    private static final int SQLITE_PERM = 3;
    private static final int SQLITE_READONLY = 8;
    private static final int SQLITE_IOERR = 10;
    private static final int SQLITE_FULL = 13;
    private static final int SQLITE_CANTOPEN = 14;

    private static final String RANKS = "rank_priority, rank_depth, rank_sequence";

    private static final String ROBOTS_COLUMNS =
            "origin, fetched_at, kind, crawl_delay, content_type, body";

    private final Path file;
    private final Connection connection;
    private final PreparedStatement insertRow;
    private final PreparedStatement deleteRow;
    private final PreparedStatement updateRow;
    private final PreparedStatement insertSeen;
    private final PreparedStatement insertSlot;
    private final PreparedStatement insertOutbox;
    private final PreparedStatement deleteOutbox;
    private final PreparedStatement setFeedPosition;
    private final PreparedStatement insertDead;
    private final PreparedStatement insertLeased;
    private final PreparedStatement deleteLeased;
    private final PreparedStatement setMeta;
    private final PreparedStatement nextRows;
    private final PreparedStatement setPage;
    private final PreparedStatement setRobots;
    private final PreparedStatement getRobots;
    private final Checkpointer checkpointer;
    private @Nullable String brokenBy;
    private FrontierException.Kind brokenKind = FrontierException.Kind.FAILED;

    private SqliteStore(Path file, Connection connection) throws SQLException {
        this.file = file;
        this.connection = connection;
        this.insertRow =
                connection.prepareStatement(
                        "INSERT INTO queue (id, slot, "
                                + RANKS
                                + ", not_before, request) VALUES (?, ?, ?, ?, ?, ?, ?)");
        this.deleteRow = connection.prepareStatement("DELETE FROM queue WHERE id = ?");
        this.updateRow =
                connection.prepareStatement(
                        "UPDATE queue SET slot = ?, rank_priority = ?, rank_depth = ?,"
                                + " rank_sequence = ?, not_before = ?, request = ? WHERE id = ?");
        this.insertSeen = connection.prepareStatement("INSERT INTO seen VALUES (?, ?)");
        this.insertSlot = connection.prepareStatement("INSERT INTO slots VALUES (?, ?)");
        this.insertOutbox = connection.prepareStatement("INSERT INTO outbox VALUES (?, ?, ?)");
        this.deleteOutbox = connection.prepareStatement("DELETE FROM outbox WHERE seq <= ?");
        this.setFeedPosition =
                connection.prepareStatement("INSERT OR REPLACE INTO feed_positions VALUES (?, ?)");
        this.insertDead =
                connection.prepareStatement(
                        "INSERT INTO dead_letters"
                                + " (url, reason, attempts, failed_at, request, last_status)"
                                + " VALUES (?, ?, ?, ?, ?, ?)");
        this.insertLeased = connection.prepareStatement("INSERT OR IGNORE INTO leased VALUES (?)");
        this.deleteLeased = connection.prepareStatement("DELETE FROM leased WHERE id = ?");
        this.setMeta =
                connection.prepareStatement(
                        "INSERT INTO meta VALUES (?, ?)"
                                + " ON CONFLICT (key) DO UPDATE SET value = excluded.value");
        this.nextRows =
                connection.prepareStatement(
                        "SELECT id, slot, "
                                + RANKS
                                + ", not_before, request FROM queue WHERE slot = ? AND ("
                                + RANKS
                                + ") > (?, ?, ?) ORDER BY "
                                + RANKS
                                + " LIMIT ?");
        this.setPage =
                connection.prepareStatement(
                        "INSERT INTO pages (" + PAGE_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)");
        this.setRobots =
                connection.prepareStatement(
                        "INSERT OR REPLACE INTO robots VALUES (?, ?, ?, ?, ?, ?)");
        this.getRobots =
                connection.prepareStatement(
                        "SELECT " + ROBOTS_COLUMNS + " FROM robots WHERE origin = ?");
        this.checkpointer = new Checkpointer(file);
    }

    /**
     * Opens the job dir's database, making it when there is none.
     *
     * @throws FrontierException (not transient) naming the file: {@link
     *     FrontierException.Kind#REFUSED} when it is no SQLite database, is truncated or damaged,
     *     belongs to another application, has a newer schema, holds another crawl, or is missing
     *     while its WAL is left; {@link FrontierException.Kind#STORAGE} when it cannot be made,
     *     read or written (a full disk, an I/O error)
     */
    static SqliteStore open(Path jobDir, String crawl, CrawlOrder order) {
        SqliteNativeLibrary.prepare();
        Path file = jobDir.resolve(FILE_NAME);
        try {
            if (!Files.exists(file)) {
                checkNoLeftovers(file);
                create(file, crawl, order);
            } else {
                checkHeader(file);
            }
        } catch (IOException e) {
            throw new FrontierException(
                    "cannot open " + file + ": " + Exporters.reason(e),
                    FrontierException.Kind.STORAGE,
                    false,
                    e);
        } catch (SQLException e) {
            throw new FrontierException(
                    "cannot create " + file + ": " + e.getMessage(),
                    FrontierException.Kind.STORAGE,
                    false,
                    e);
        }
        Connection connection = null;
        try {
            connection = connect(file);
            int version = checkIdentity(file, connection); // before a foreign file is written to
            configure(connection);
            migrate(connection, version);
            SqliteStore store = new SqliteStore(file, connection);
            try {
                store.checkCrawl(crawl, order);
            } catch (SQLException | RuntimeException e) {
                store.close();
                throw e;
            }
            return store;
        } catch (SQLException e) {
            closeQuietly(connection);
            if (isStorageFailure(e)) {
                throw new FrontierException(
                        "cannot open " + file + ": " + e.getMessage() + "; " + MEND_AND_RUN_AGAIN,
                        FrontierException.Kind.STORAGE,
                        false,
                        e);
            }
            throw new FrontierException(
                    "cannot read "
                            + file
                            + ": "
                            + e.getMessage()
                            + "; the file is damaged: "
                            + START_AFRESH,
                    FrontierException.Kind.REFUSED,
                    false,
                    e);
        } catch (RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    /**
     * Refuses to make a database next to the WAL (or journal) of one that is gone: SQLite would
     * replay that log into the new file, giving back a part of the old crawl, or a damaged file.
     */
    private static void checkNoLeftovers(Path file) {
        for (String suffix : List.of("-wal", "-journal")) {
            Path log = file.resolveSibling(file.getFileName() + suffix);
            if (Files.exists(log)) {
                throw new FrontierException(
                        log
                                + " is left without its "
                                + file.getFileName()
                                + " (deleted or moved while the crawl was stopped): put the"
                                + " database back to resume, or "
                                + START_AFRESH,
                        FrontierException.Kind.REFUSED,
                        false,
                        null);
            }
        }
    }

    /**
     * Makes the database under a temporary name and renames it into place, so that a {@code
     * frontier.db} always holds the whole schema, even when the process died while making it.
     */
    private static void create(Path file, String crawl, CrawlOrder order)
            throws IOException, SQLException {
        Path partial = file.resolveSibling(FILE_NAME + ".new");
        for (String suffix : List.of("", "-journal", "-wal", "-shm")) {
            Files.deleteIfExists(partial.resolveSibling(partial.getFileName() + suffix));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + partial);
                Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            for (String ddl : SCHEMA) {
                s.execute(ddl);
            }
            try (PreparedStatement meta = c.prepareStatement("INSERT INTO meta VALUES (?, ?)")) {
                for (Map.Entry<String, Object> e :
                        Map.<String, Object>of(
                                        "crawl",
                                        crawl,
                                        "crawl_order",
                                        order.name(),
                                        "created",
                                        Instant.now().toString(),
                                        "sequence_reserved",
                                        0L,
                                        "acknowledged",
                                        -1L)
                                .entrySet()) {
                    meta.setString(1, e.getKey());
                    meta.setObject(2, e.getValue());
                    meta.executeUpdate();
                }
            }
            s.execute("PRAGMA application_id = " + APPLICATION_ID);
            s.execute("PRAGMA user_version = " + SCHEMA_VERSION);
            c.commit();
        }
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Refuses a file that is no SQLite database, or one shorter than its header says (cut off);
     * SQLite itself would only notice the latter when it reads a missing page.
     */
    static void checkHeader(Path file) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(100);
        long size;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            size = channel.size();
            while (header.hasRemaining() && channel.read(header) >= 0) {
                // read the first 100 bytes, or what there is
            }
        }
        if (size < 100
                || !ByteBuffer.wrap(header.array(), 0, SQLITE_HEADER.length)
                        .equals(ByteBuffer.wrap(SQLITE_HEADER))) {
            throw new FrontierException(
                    file
                            + " is not a SQLite database ("
                            + (size == 0 ? "it is empty" : "its first bytes are no SQLite header")
                            + "): it is damaged or not a job dir's; "
                            + START_AFRESH,
                    FrontierException.Kind.REFUSED,
                    false,
                    null);
        }
        int pageSize = Short.toUnsignedInt(header.getShort(16));
        long pageBytes = pageSize == 1 ? 65536 : pageSize;
        long pages = Integer.toUnsignedLong(header.getInt(28));
        boolean pagesValid = header.getInt(92) == header.getInt(24);
        Path wal = file.resolveSibling(file.getFileName() + "-wal");
        boolean walPending = Files.exists(wal) && Files.size(wal) > 0;
        // with a WAL to replay, the file may lag its header until SQLite recovers it
        if (pagesValid && !walPending && pages * pageBytes > size) {
            throw new FrontierException(
                    file
                            + " is truncated: its header says "
                            + pages * pageBytes
                            + " bytes, the file has "
                            + size
                            + "; "
                            + START_AFRESH,
                    FrontierException.Kind.REFUSED,
                    false,
                    null);
        }
    }

    /** A connection without sqlite-jdbc's generated keys: a query after every insert otherwise. */
    static Connection connect(Path file) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("jdbc.get_generated_keys", "false");
        return DriverManager.getConnection("jdbc:sqlite:" + file, properties);
    }

    private static void configure(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA journal_mode = WAL")) {
                String mode = rs.next() ? rs.getString(1) : "";
                if (!"wal".equalsIgnoreCase(mode)) {
                    throw new SQLException(
                            "cannot use WAL mode (the journal mode is " + mode + ")");
                }
            }
            // NORMAL, not FULL: a commit is in the WAL file, which the OS keeps when the process is
            // killed; after a power loss the last commits may be lost, never torn (docs/engine.md)
            s.execute("PRAGMA synchronous = NORMAL");
            s.execute("PRAGMA busy_timeout = 5000");
            s.execute("PRAGMA cache_size = -16384"); // KiB
            s.execute("PRAGMA wal_autocheckpoint = 0"); // the Checkpointer's work
            // a WAL started again is cut back to what it holds: its size says how full it is
            s.execute("PRAGMA journal_size_limit = 0");
        }
        c.setAutoCommit(false);
    }

    /** Refuses a file that is not a job dir's database, or is of a newer schema; its version. */
    static int checkIdentity(Path file, Connection c) throws SQLException {
        int applicationId = pragma(c, "application_id");
        if (applicationId != APPLICATION_ID) {
            throw new FrontierException(
                    file
                            + " is a SQLite database but not a job dir's (application id "
                            + applicationId
                            + "): delete it or choose another job dir",
                    FrontierException.Kind.REFUSED,
                    false,
                    null);
        }
        int version = pragma(c, "user_version");
        if (version > SCHEMA_VERSION) {
            throw new FrontierException(
                    file
                            + " was written by a newer Arachne (schema version "
                            + version
                            + "; this one reads up to "
                            + SCHEMA_VERSION
                            + "): run that version, or delete the job dir to start afresh",
                    FrontierException.Kind.REFUSED,
                    false,
                    null);
        }
        if (version < 1) {
            throw new FrontierException(
                    file + " has no schema version: it is damaged; " + START_AFRESH,
                    FrontierException.Kind.REFUSED,
                    false,
                    null);
        }
        return version;
    }

    /** Brings an older schema to this one, a version per transaction. */
    private static void migrate(Connection c, int version) throws SQLException {
        for (int from = version; from < SCHEMA_VERSION; from++) {
            try (Statement s = c.createStatement()) {
                for (String step : MIGRATIONS.get(from - 1)) {
                    s.execute(step);
                }
                s.execute("PRAGMA user_version = " + (from + 1));
                c.commit();
            }
        }
    }

    private static int pragma(Connection c, String name) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA " + name)) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private void checkCrawl(String crawl, CrawlOrder order) throws SQLException {
        Object stored = meta("crawl");
        if (!crawl.equals(stored)) {
            throw new FrontierException(
                    "the job dir "
                            + file.getParent()
                            + " holds the crawl '"
                            + stored
                            + "', not '"
                            + crawl
                            + "': to start '"
                            + crawl
                            + "' afresh, delete the job dir or choose another one",
                    FrontierException.Kind.REFUSED,
                    false,
                    null);
        }
        if (!order.name().equals(meta("crawl_order"))) {
            // the ranks of depth and arrival change sign between breadth and depth first
            try (Statement s = connection.createStatement()) {
                s.executeUpdate(
                        "UPDATE queue SET rank_depth = -rank_depth,"
                                + " rank_sequence = -rank_sequence");
            }
            setMeta("crawl_order", order.name());
            connection.commit();
        }
    }

    /** A row of the queue table. */
    record Row(
            long id,
            int slot,
            long rankPriority,
            long rankDepth,
            long rankSequence,
            long notBeforeMillis,
            byte[] request) {}

    /** A row read back, its request decoded. */
    record Loaded(
            long id,
            int slot,
            long rankPriority,
            long rankDepth,
            long rankSequence,
            long notBeforeMillis,
            Request request) {}

    /** A failed request, as {@code fail} stores it; status 0 when no response came. */
    record DeadRow(
            String url,
            String reason,
            int attempts,
            int status,
            Instant failedAt,
            byte[] request) {}

    /** A page fetched, as {@code done} stores it (over its earlier row) and a recrawl reads it. */
    record PageRow(
            Fingerprint fingerprint,
            long fetchedAtMillis,
            @Nullable String etag,
            @Nullable String lastModified,
            @Nullable String contentHash,
            byte[] request) {}

    /** A page row read back, its request decoded. */
    record LoadedPage(PageRecord record, Request request) {}

    /** One done lease's items in the outbox: its sequence, its request and its items, encoded. */
    record OutboxRow(long sequence, byte[] source, byte[] items) {}

    /**
     * Everything a group of endings and {@code add}s changes, committed together by {@link
     * #commit}.
     */
    static final class Write {
        final List<Row> inserted = new ArrayList<>();
        final List<Long> deleted = new ArrayList<>();
        final List<Row> updated = new ArrayList<>();
        final List<Fingerprint> seen = new ArrayList<>();
        final Map<Integer, String> slots = new LinkedHashMap<>();
        final List<OutboxRow> outbox = new ArrayList<>();
        final List<PageRow> pages = new ArrayList<>();
        @Nullable DeadRow dead;

        /**
         * Rows leased since the last commit, and rows no longer leased (the {@code leased} table).
         */
        final List<Long> leased = new ArrayList<>();

        final List<Long> unleased = new ArrayList<>();

        /** Every dead letter was queued again (in {@link #inserted}): the table is emptied. */
        boolean requeuedDeadLetters;

        /** When above 0: the sequence numbers below it are reserved for rows (kept at open). */
        long reserveSequence;
    }

    /**
     * Commits a write in one transaction. Row by row, not in JDBC batches: sqlite-jdbc clears a
     * statement's whole batch array, as large as its largest batch ever, after every batch.
     */
    void commit(Write w) {
        checkUsable();
        try {
            for (Map.Entry<Integer, String> slot : w.slots.entrySet()) {
                insertSlot.setInt(1, slot.getKey());
                insertSlot.setString(2, slot.getValue());
                insertSlot.executeUpdate();
            }
            for (long id : w.deleted) {
                deleteRow.setLong(1, id);
                deleteRow.executeUpdate();
            }
            for (Row row : w.updated) {
                updateRow.setInt(1, row.slot());
                updateRow.setLong(2, row.rankPriority());
                updateRow.setLong(3, row.rankDepth());
                updateRow.setLong(4, row.rankSequence());
                updateRow.setLong(5, row.notBeforeMillis());
                updateRow.setBytes(6, row.request());
                updateRow.setLong(7, row.id());
                updateRow.executeUpdate();
            }
            for (Row row : w.inserted) {
                insertRow.setLong(1, row.id());
                insertRow.setInt(2, row.slot());
                insertRow.setLong(3, row.rankPriority());
                insertRow.setLong(4, row.rankDepth());
                insertRow.setLong(5, row.rankSequence());
                insertRow.setLong(6, row.notBeforeMillis());
                insertRow.setBytes(7, row.request());
                insertRow.executeUpdate();
            }
            for (Fingerprint f : w.seen) {
                insertSeen.setLong(1, f.high());
                insertSeen.setLong(2, f.low());
                insertSeen.executeUpdate();
            }
            for (OutboxRow row : w.outbox) {
                insertOutbox.setLong(1, row.sequence());
                insertOutbox.setBytes(2, row.source());
                insertOutbox.setBytes(3, row.items());
                insertOutbox.executeUpdate();
            }
            if (w.dead != null) {
                insertDead.setString(1, w.dead.url());
                insertDead.setString(2, w.dead.reason());
                insertDead.setInt(3, w.dead.attempts());
                insertDead.setString(4, w.dead.failedAt().toString());
                insertDead.setBytes(5, w.dead.request());
                insertDead.setInt(6, w.dead.status());
                insertDead.executeUpdate();
            }
            for (long id : w.leased) {
                insertLeased.setLong(1, id);
                insertLeased.executeUpdate();
            }
            for (long id : w.unleased) {
                deleteLeased.setLong(1, id);
                deleteLeased.executeUpdate();
            }
            if (w.requeuedDeadLetters) {
                try (Statement s = connection.createStatement()) {
                    s.executeUpdate("DELETE FROM dead_letters");
                }
            }
            for (PageRow page : w.pages) {
                setPage(page);
            }
            if (w.reserveSequence > 0) {
                setMeta("sequence_reserved", w.reserveSequence);
            }
            connection.commit();
        } catch (SQLException e) {
            throw failed("commit", e);
        }
        committed();
    }

    private void setPage(PageRow page) throws SQLException {
        setPage.setLong(1, page.fingerprint().high());
        setPage.setLong(2, page.fingerprint().low());
        setPage.setLong(3, page.fetchedAtMillis());
        setPage.setString(4, page.etag());
        setPage.setString(5, page.lastModified());
        setPage.setBytes(
                6, page.contentHash() == null ? null : HexFormat.of().parseHex(page.contentHash()));
        setPage.setBytes(7, page.request());
        setPage.executeUpdate();
    }

    /**
     * Queues again, in one transaction, every page last fetched before {@code beforeMillis}, in the
     * order they were fetched, after dropping the older rows of pages fetched more than once:
     * {@code toRow} makes each page's queue row (and adds the slots it names first to {@code
     * newSlots}, which are inserted before it); then {@code sequenceReserved} says the sequence
     * mark to keep (0: unchanged). The pages are read as they are queued, so memory holds one at a
     * time.
     *
     * @return how many were queued
     */
    int requeuePages(
            long beforeMillis,
            Function<LoadedPage, Row> toRow,
            Map<Integer, String> newSlots,
            LongSupplier sequenceReserved) {
        checkUsable();
        int queued = 0;
        try (Statement s = connection.createStatement();
                PreparedStatement stale =
                        connection.prepareStatement(
                                "SELECT fetched_at, etag, last_modified, content_hash, request,"
                                        + " high, low FROM pages WHERE fetched_at < ?"
                                        + " ORDER BY id")) {
            // a page fetched more than once: its newest row only
            s.executeUpdate(
                    "DELETE FROM pages WHERE id NOT IN"
                            + " (SELECT max(id) FROM pages GROUP BY high, low)");
            stale.setLong(1, beforeMillis);
            try (ResultSet rs = stale.executeQuery()) {
                while (rs.next()) {
                    Row row = toRow.apply(loadedPage(rs));
                    for (Map.Entry<Integer, String> slot : newSlots.entrySet()) {
                        insertSlot.setInt(1, slot.getKey());
                        insertSlot.setString(2, slot.getValue());
                        insertSlot.executeUpdate();
                    }
                    newSlots.clear();
                    insertRow.setLong(1, row.id());
                    insertRow.setInt(2, row.slot());
                    insertRow.setLong(3, row.rankPriority());
                    insertRow.setLong(4, row.rankDepth());
                    insertRow.setLong(5, row.rankSequence());
                    insertRow.setLong(6, row.notBeforeMillis());
                    insertRow.setBytes(7, row.request());
                    insertRow.executeUpdate();
                    queued++;
                }
            }
            long mark = sequenceReserved.getAsLong();
            if (mark > 0) {
                setMeta("sequence_reserved", mark);
            }
            connection.commit();
        } catch (SQLException e) {
            throw failed("queue the pages again", e);
        }
        committed();
        return queued;
    }

    private static LoadedPage loadedPage(ResultSet rs) throws SQLException {
        try {
            return new LoadedPage(
                    new PageRecord(
                            Instant.ofEpochMilli(rs.getLong(1)),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getBytes(4) == null
                                    ? null
                                    : HexFormat.of().formatHex(rs.getBytes(4))),
                    RequestCodec.fromBytes(rs.getBytes(5)));
        } catch (IOException e) {
            throw new SQLException(
                    "the page of fingerprint "
                            + new Fingerprint(rs.getLong(6), rs.getLong(7)).hex()
                            + " is damaged: "
                            + e,
                    e);
        }
    }

    /** After a commit: the checkpointer's turn (see {@link Checkpointer}). */
    private void committed() {
        checkpointer.committed(connection);
    }

    /**
     * Records that the outbox was written up to and including {@code sequence}, and where the
     * feeds' files ended then, durably in one transaction.
     */
    void acknowledge(long sequence, Map<String, Long> feedPositions) {
        checkUsable();
        try {
            deleteOutbox.setLong(1, sequence);
            deleteOutbox.executeUpdate();
            setMeta("acknowledged", sequence);
            for (Map.Entry<String, Long> e : feedPositions.entrySet()) {
                setFeedPosition.setString(1, e.getKey());
                setFeedPosition.setLong(2, e.getValue());
                setFeedPosition.executeUpdate();
            }
            connection.commit();
            committed();
        } catch (SQLException e) {
            throw failed("record the acknowledged items", e);
        }
    }

    /** Replaces the counters, and records when ({@code counters_saved} in meta, for jobs). */
    void saveCounters(Map<String, Long> counters, Instant savedAt) {
        checkUsable();
        try (Statement clear = connection.createStatement();
                PreparedStatement insert =
                        connection.prepareStatement("INSERT INTO counters VALUES (?, ?)")) {
            clear.executeUpdate("DELETE FROM counters");
            setMeta("counters_saved", savedAt.toString());
            for (Map.Entry<String, Long> e : counters.entrySet()) {
                insert.setString(1, e.getKey());
                insert.setLong(2, e.getValue());
                insert.executeUpdate();
            }
            connection.commit();
            committed();
        } catch (SQLException e) {
            throw failed("save the counters", e);
        }
    }

    /**
     * Saves a Bloom filter and empties the log of fingerprints, which it now holds, in one
     * transaction.
     */
    void saveBloom(BloomSeenSet filter) {
        checkUsable();
        try (Statement clear = connection.createStatement()) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            filter.writeTo(bytes);
            setMeta("bloom_filter", bytes.toByteArray());
            setMeta("bloom_expected_count", filter.expectedCount());
            setMeta("bloom_false_positive_rate", filter.falsePositiveRate());
            setMeta("bloom_added", filter.size());
            clear.executeUpdate("DELETE FROM seen");
            connection.commit();
            committed();
        } catch (SQLException | IOException e) {
            throw failed("save the Bloom filter", e);
        }
    }

    // reads at open

    /** Whether an earlier run queued anything: the database holds a crawl to resume. */
    boolean holdsCrawl() {
        return sequenceReserved() > 0;
    }

    long sequenceReserved() {
        return ((Number) readMeta("sequence_reserved")).longValue();
    }

    long acknowledged() {
        return ((Number) readMeta("acknowledged")).longValue();
    }

    Map<Integer, String> slots() {
        Map<Integer, String> slots = new HashMap<>();
        query(
                "read the slots",
                "SELECT id, name FROM slots",
                rs -> slots.put(rs.getInt(1), rs.getString(2)));
        return slots;
    }

    /** Rows queued per slot id, those {@link #waiting} included. */
    Map<Integer, Long> queuedPerSlot() {
        Map<Integer, Long> counts = new HashMap<>();
        query(
                "count the queue",
                "SELECT slot, count(*) FROM queue GROUP BY slot", // the index covers it
                rs -> counts.put(rs.getInt(1), rs.getLong(2)));
        return counts;
    }

    /** Rows waiting for a later time than {@code nowMillis} (retries). */
    List<Loaded> waiting(long nowMillis) {
        List<Loaded> rows = new ArrayList<>();
        query(
                "read the retries",
                "SELECT id, slot, "
                        + RANKS
                        + ", not_before, request FROM queue"
                        + " WHERE not_before > 0 AND not_before > " // so the partial index serves
                        + nowMillis,
                rs -> rows.add(loaded(rs)));
        return rows;
    }

    /** The next {@code limit} rows of a slot ranked after the given rank, in rank order. */
    List<Loaded> next(int slot, long rankPriority, long rankDepth, long rankSequence, int limit) {
        checkUsable();
        List<Loaded> rows = new ArrayList<>(Math.min(limit, 1024));
        try {
            nextRows.setInt(1, slot);
            nextRows.setLong(2, rankPriority);
            nextRows.setLong(3, rankDepth);
            nextRows.setLong(4, rankSequence);
            nextRows.setInt(5, limit);
            try (ResultSet rs = nextRows.executeQuery()) {
                while (rs.next()) {
                    rows.add(loaded(rs));
                }
            }
        } catch (SQLException e) {
            throw failed("read the queue", e);
        }
        return rows;
    }

    private Loaded loaded(ResultSet rs) throws SQLException {
        long id = rs.getLong(1);
        try {
            return new Loaded(
                    id,
                    rs.getInt(2),
                    rs.getLong(3),
                    rs.getLong(4),
                    rs.getLong(5),
                    rs.getLong(6),
                    RequestCodec.fromBytes(rs.getBytes(7)));
        } catch (IOException e) {
            throw new SQLException("queued request " + id + " is damaged: " + e.getMessage(), e);
        }
    }

    /** Calls {@code each} with the high and low half of every fingerprint logged. */
    void forEachSeen(FingerprintConsumer each) {
        query(
                "read the seen set",
                "SELECT high, low FROM seen",
                rs -> each.accept(new Fingerprint(rs.getLong(1), rs.getLong(2))));
    }

    /** The Bloom filter saved last, or null when none was. */
    @Nullable BloomSeenSet savedBloom() {
        checkUsable();
        Object bytes;
        try {
            bytes = meta("bloom_filter");
        } catch (SQLException e) {
            throw failed("read the Bloom filter", e);
        }
        if (!(bytes instanceof byte[] array)) {
            return null;
        }
        try (InputStream in = new ByteArrayInputStream(array)) {
            return BloomSeenSet.readFrom(
                    in,
                    ((Number) readMeta("bloom_expected_count")).longValue(),
                    ((Number) readMeta("bloom_false_positive_rate")).doubleValue(),
                    ((Number) readMeta("bloom_added")).longValue());
        } catch (IOException | RuntimeException e) {
            throw new FrontierException(
                    "the Bloom filter saved in " + file + " is damaged: " + e, false, e);
        }
    }

    /** Batches committed and not acknowledged, in commit order. */
    List<CommittedItems> unacknowledged() {
        List<CommittedItems> batches = new ArrayList<>();
        query(
                "read the item outbox",
                "SELECT seq, source, items FROM outbox WHERE seq > "
                        + acknowledged()
                        + " ORDER BY seq",
                rs -> {
                    try {
                        batches.add(
                                new CommittedItems(
                                        rs.getLong(1),
                                        RequestCodec.fromBytes(rs.getBytes(2)),
                                        ItemCodec.fromBytes(rs.getBytes(3))));
                    } catch (IOException e) {
                        throw new SQLException(
                                "outbox batch " + rs.getLong(1) + " is damaged: " + e, e);
                    }
                });
        return batches;
    }

    /** The highest outbox sequence ever given, acknowledged or not; -1 for none. */
    long lastOutboxSequence() {
        long[] last = {acknowledged()};
        query(
                "read the item outbox",
                "SELECT max(seq) FROM outbox",
                rs -> last[0] = Math.max(last[0], rs.getLong(1)));
        return last[0];
    }

    /** Where each feed's file ended at the last acknowledgement, by {@code FeedFile.key}. */
    Map<String, Long> feedPositions() {
        Map<String, Long> positions = new LinkedHashMap<>();
        query(
                "read the feed positions",
                "SELECT feed, position FROM feed_positions",
                rs -> positions.put(rs.getString(1), rs.getLong(2)));
        return positions;
    }

    Map<String, Long> counters() {
        Map<String, Long> counters = new LinkedHashMap<>();
        query(
                "read the counters",
                "SELECT name, value FROM counters ORDER BY name",
                rs -> counters.put(rs.getString(1), rs.getLong(2)));
        return counters;
    }

    /** Every request that failed for good, oldest first. */
    List<DeadLetter> deadLetters() {
        List<DeadLetter> letters = new ArrayList<>();
        query(
                "read the dead letters",
                "SELECT url, reason, attempts, failed_at, request, id, last_status"
                        + " FROM dead_letters ORDER BY id",
                rs -> {
                    try {
                        letters.add(
                                new DeadLetter(
                                        rs.getString(1),
                                        rs.getString(2),
                                        rs.getInt(3),
                                        rs.getInt(7),
                                        Instant.parse(rs.getString(4)),
                                        RequestCodec.fromBytes(rs.getBytes(5))));
                    } catch (IOException e) {
                        throw new SQLException(
                                "dead letter " + rs.getLong(6) + " is damaged: " + e, e);
                    }
                });
        return letters;
    }

    long deadLetterCount() {
        long[] count = {0};
        query(
                "count the dead letters",
                "SELECT count(*) FROM dead_letters",
                rs -> count[0] = rs.getLong(1));
        return count[0];
    }

    /**
     * Starts a run, in one transaction: the previous run, when it recorded no end (it was killed),
     * gets the rows it had leased as its in-flight count; the {@code leased} table is emptied
     * (those rows are queued again); a new run row is inserted.
     *
     * @return the new run's number, 1 for the job's first
     */
    long startRun(long pid, Instant started) {
        checkUsable();
        try (Statement s = connection.createStatement();
                PreparedStatement insert =
                        connection.prepareStatement(
                                "INSERT INTO runs (pid, started) VALUES (?, ?)")) {
            s.executeUpdate(
                    "UPDATE runs SET in_flight = (SELECT count(*) FROM leased)"
                            + " WHERE id = (SELECT max(id) FROM runs) AND ended IS NULL");
            int cleared = s.executeUpdate("DELETE FROM leased");
            insert.setLong(1, pid);
            insert.setString(2, started.toString());
            insert.executeUpdate();
            long run;
            try (ResultSet rs = s.executeQuery("SELECT max(id) FROM runs")) {
                run = rs.next() ? rs.getLong(1) : 0;
            }
            connection.commit();
            committed();
            return run;
        } catch (SQLException e) {
            throw failed("record the start of this run", e);
        }
    }

    /** Records how a run ended, with the leases still out then, in one transaction. */
    void endRun(long run, Instant ended, String status, String reason, int inFlight) {
        checkUsable();
        try (PreparedStatement update =
                connection.prepareStatement(
                        "UPDATE runs SET ended = ?, status = ?, reason = ?, in_flight = ?"
                                + " WHERE id = ?")) {
            update.setString(1, ended.toString());
            update.setString(2, status);
            update.setString(3, reason);
            update.setInt(4, inFlight);
            update.setLong(5, run);
            update.executeUpdate();
            connection.commit();
            committed();
        } catch (SQLException e) {
            throw failed("record the end of this run", e);
        }
    }

    // robots.txt records (schema 4)

    /** Keeps a robots.txt record in place of the origin's earlier one, in one transaction. */
    void keepRobotsTxt(RobotsTxtRecord record) {
        checkUsable();
        try {
            setRobots.setString(1, record.origin());
            setRobots.setLong(2, record.fetchedAt().toEpochMilli());
            setRobots.setString(3, record.kind().name().toLowerCase(Locale.ROOT));
            setRobots.setLong(4, record.crawlDelay().toMillis());
            setRobots.setString(5, record.contentType());
            setRobots.setBytes(6, record.body().isEmpty() ? null : record.body().unsafeBytes());
            setRobots.executeUpdate();
            connection.commit();
        } catch (SQLException e) {
            throw failed("keep the robots.txt of " + record.origin(), e);
        }
        committed();
    }

    /**
     * The robots.txt record kept for the origin; null when none is, or when the one kept cannot be
     * read (told to {@code skipped}).
     */
    @Nullable RobotsTxtRecord robotsTxt(String origin, SkippedRow skipped) {
        checkUsable();
        try {
            getRobots.setString(1, origin);
            try (ResultSet rs = getRobots.executeQuery()) {
                return rs.next() ? robotsTxtRecord(rs, skipped) : null;
            }
        } catch (SQLException e) {
            throw failed("read the robots.txt of " + origin, e);
        }
    }

    /** The readable robots.txt records whose Crawl-delay is above zero; the others are skipped. */
    List<RobotsTxtRecord> robotsTxtWithCrawlDelay(SkippedRow skipped) {
        List<RobotsTxtRecord> records = new ArrayList<>();
        query(
                "read the robots.txt with a Crawl-delay",
                "SELECT " + ROBOTS_COLUMNS + " FROM robots WHERE crawl_delay > 0",
                rs -> {
                    RobotsTxtRecord record = robotsTxtRecord(rs, skipped);
                    if (record != null) {
                        records.add(record);
                    }
                });
        return records;
    }

    /**
     * A row of the robots table, or null when it holds what this code never writes (the file was
     * changed outside Arachne): a record is a cache of a fetch, so the fetch is made again.
     */
    private static @Nullable RobotsTxtRecord robotsTxtRecord(ResultSet rs, SkippedRow skipped)
            throws SQLException {
        String origin = rs.getString(1);
        try {
            String kind = rs.getString(3);
            byte[] body = rs.getBytes(6);
            return new RobotsTxtRecord(
                    origin,
                    Instant.ofEpochMilli(integer(rs.getObject(2), "fetched_at")),
                    switch (String.valueOf(kind)) {
                        case "rules" -> RobotsTxtRecord.Kind.RULES;
                        case "allow_all" -> RobotsTxtRecord.Kind.ALLOW_ALL;
                        default ->
                                throw new IllegalArgumentException(
                                        "its kind is '" + kind + "', neither rules nor allow_all");
                    },
                    body == null ? Body.EMPTY : Body.wrap(body),
                    rs.getString(5),
                    Duration.ofMillis(integer(rs.getObject(4), "crawl_delay")));
        } catch (IllegalArgumentException | NullPointerException | DateTimeException e) {
            skipped.row(origin, String.valueOf(e.getMessage()));
            return null;
        }
    }

    private static long integer(@Nullable Object value, String column) {
        if (value instanceof Integer || value instanceof Long) {
            return ((Number) value).longValue();
        }
        throw new IllegalArgumentException("its " + column + " is no integer: " + value);
    }

    /** Told of a row that cannot be read and is skipped. */
    @FunctionalInterface
    interface SkippedRow {
        /**
         * @param key the row's key (an origin), null when it has none
         * @param problem what is wrong with it
         */
        void row(@Nullable String key, String problem);
    }

    Path file() {
        return file;
    }

    /** Closes the connection; SQLite then folds the WAL into the database file. */
    @Override
    public void close() {
        checkpointer.close();
        try {
            connection.rollback(); // a read left open; every write was committed or refused
        } catch (SQLException e) {
            // the connection goes anyway
        }
        closeQuietly(connection);
    }

    @FunctionalInterface
    interface FingerprintConsumer {
        void accept(Fingerprint fingerprint);
    }

    @FunctionalInterface
    private interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    private void query(String what, String sql, RowReader reader) {
        checkUsable();
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                reader.read(rs);
            }
        } catch (SQLException e) {
            throw failed(what, e);
        }
    }

    private @Nullable Object meta(String key) throws SQLException {
        try (PreparedStatement p =
                connection.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
            p.setString(1, key);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getObject(1) : null;
            }
        }
    }

    private Object readMeta(String key) {
        checkUsable();
        try {
            Object value = meta(key);
            if (value == null) {
                throw new SQLException("the meta table has no '" + key + "'");
            }
            return value;
        } catch (SQLException e) {
            throw failed("read " + key, e);
        }
    }

    private void setMeta(String key, Object value) throws SQLException {
        setMeta.setString(1, key);
        setMeta.setObject(2, value);
        setMeta.executeUpdate();
    }

    private void checkUsable() {
        if (brokenBy != null) {
            throw new FrontierException(
                    "the job dir's database "
                            + file
                            + " failed before ("
                            + brokenBy
                            + "); "
                            + (brokenKind == FrontierException.Kind.STORAGE
                                    ? MEND_AND_RUN_AGAIN
                                    : "the crawl must stop, and the next run resumes from the last"
                                            + " commit"),
                    brokenKind,
                    false,
                    null);
        }
    }

    /**
     * A failed statement: rolled back, and the store refuses from now on. A full disk, a file-size
     * limit or an I/O error is {@link FrontierException.Kind#STORAGE}, and the message says what to
     * do.
     */
    private FrontierException failed(String what, Exception e) {
        brokenBy = "could not " + what + ": " + e.getMessage();
        boolean storage = e instanceof SQLException sql && isStorageFailure(sql);
        brokenKind = storage ? FrontierException.Kind.STORAGE : FrontierException.Kind.FAILED;
        try {
            connection.rollback();
        } catch (SQLException rollback) {
            e.addSuppressed(rollback);
        }
        return new FrontierException(
                "the job dir's database "
                        + file
                        + " failed: "
                        + brokenBy
                        + (storage ? "; " + MEND_AND_RUN_AGAIN : ""),
                brokenKind,
                false,
                e);
    }

    /**
     * Whether SQLite failed for its files rather than for what they hold: a full disk ({@code
     * SQLITE_FULL}, also for a file-size limit on some systems), an I/O error ({@code
     * SQLITE_IOERR}, which is how a write past {@code ulimit -f} fails), a file that cannot be
     * opened, no permission, a read-only file.
     */
    static boolean isStorageFailure(SQLException e) {
        int primary = e.getErrorCode() & 0xff; // the extended codes keep the primary code's byte
        return primary == SQLITE_FULL
                || primary == SQLITE_IOERR
                || primary == SQLITE_CANTOPEN
                || primary == SQLITE_PERM
                || primary == SQLITE_READONLY;
    }

    private static void closeQuietly(@Nullable Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException e) {
            // nothing is left to save on a connection that fails to close
        }
    }
}
