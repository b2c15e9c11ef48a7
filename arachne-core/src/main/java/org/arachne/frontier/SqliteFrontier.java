package org.arachne.frontier;

import com.carrotsearch.hppc.LongHashSet;
import com.carrotsearch.hppc.cursors.LongCursor;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.arachne.frontier.SlotSchedule.LeaseState;
import org.arachne.frontier.SlotSchedule.Slot;
import org.arachne.http.Request;
import org.arachne.item.Item;
import org.arachne.politeness.SlotRules;
import org.arachne.politeness.SlotSignals;
import org.arachne.politeness.Throttle;
import org.arachne.url.Urls;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The frontier of a job dir: the queue, the seen set, the item outbox, the dead letters, the
 * crawl's counters and the pages fetched in a SQLite database ({@code frontier.db}), so that a
 * crawl stopped in any way resumes where it was, and a finished one can be crawled again ({@link
 * #requeueFetchedBefore}). Every change is one transaction: {@code add}, and each ending of a lease
 * ({@code done} commits the produced requests, the items, the page's record and the end of the
 * lease together).
 *
 * <p>What stays in memory: the best queued requests of each slot (the rest are read back from the
 * database as they are needed, within the setup's memory limit), leases, and politeness (permits,
 * next starts, the numbers {@link Throttle} computes), enforced by the {@link SlotSchedule} it
 * shares with {@link MemoryFrontier}. A taken request keeps its row until its lease ends, so the
 * requests leased when the process died are queued again when it resumes, and done ones never are.
 *
 * <p>It keeps its dead letters ({@link DeadLetterStore}: {@link #requeueDeadLetters} queues them
 * again), what each origin's robots.txt said ({@link RobotsTxtStore}) and a record of each run
 * (opened, {@link #runEnded}, the leases out as of the last commit), which {@link JobDirReport}
 * reads without the lock.
 *
 * <p>Lifecycle: {@link #open} takes the job dir's lock (one process per job dir) and opens {@link
 * Opening#RESUMED} when an earlier run queued anything; {@link #close} keeps everything, leases out
 * included. Durability and the tables: {@code docs/engine.md}, "The job dir's frontier".
 *
 * <p>Errors: a job dir that is locked, or whose database is damaged, foreign, newer or of another
 * crawl, is refused at open with a {@link FrontierException} naming the file; a commit that fails
 * (a full disk) stops this frontier for good, and the next run resumes from the last commit.
 */
public final class SqliteFrontier implements Frontier, DeadLetterStore, RobotsTxtStore {
    private static final Logger log = LoggerFactory.getLogger(SqliteFrontier.class);

    /** Rows read from the database at once for one slot, at most. */
    static final int CHUNK_SIZE = 512;

    /** Sequence numbers reserved in the database at once, so that few commits write the mark. */
    private static final long SEQUENCE_BLOCK = 1 << 20;

    /** A Bloom filter is saved after at least this many new fingerprints (else a tenth of it). */
    private static final long BLOOM_SAVE_MIN = 10_000;

    /**
     * The longest a done lease waits for others to share its commit (real time): a commit writes
     * every page it changes to the WAL, and most pages are shared by the endings of one moment.
     */
    static final Duration GROUP_WAIT = Duration.ofMillis(10);

    /** A group is committed at once when this many done leases wait in it. */
    static final int GROUP_MAX_DONES = 64;

    private final Path jobDir;
    private final JobDirLock jobLock;
    private final SqliteStore store;
    private final SlotRules rules;
    private final Ticker ticker;
    private final long memoryQueueLimit;
    private final CrawlOrder order;
    private final @Nullable SeenSet seen;
    private final long bloomSaveEvery;
    private final Opening opening;
    private final Map<String, Long> restoredCounters;
    private final MemoryOutbox outbox;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Condition groupChanged = lock.newCondition();

    /**
     * What the next commit writes: the open group of done leases (which wait for it), and what a
     * call that commits at once adds. Rows of a done lease stay {@link #held} until then, and its
     * produced requests and items reach the queues and the outbox only once it is committed.
     */
    private SqliteStore.Write pending = new SqliteStore.Write();

    /** What each done lease of the open group does once the group is committed, in order. */
    private List<Runnable> afterCommit = new ArrayList<>();

    /** The leases of the open group, still renewable while they wait. */
    private final Set<String> committing = new HashSet<>();

    private long openGroup = 1;
    private long committedGroup;
    private int groupDones;
    private long groupOpenedNanos;
    private long failedGroup;
    private @Nullable FrontierException groupFailure;
    private long nextOutboxSequence;
    private long commits;
    private long donesCommitted;
    private final Map<String, Integer> slotIds = new HashMap<>();
    private final SlotSchedule<StoredRequest, StoredSlotQueue> schedule;
    private final PriorityQueue<StoredRequest> deferred =
            new PriorityQueue<>(Comparator.comparingLong(StoredRequest::notBeforeNanos));

    /** Rows leased or waiting in {@link #deferred}: never to be read back into a slot's head. */
    private final LongHashSet held = new LongHashSet();

    /**
     * Rows leased now; those the {@code leased} table holds; those whose lease began or ended since
     * the last commit, which writes the difference (so a take costs no commit of its own).
     */
    private final LongHashSet leasedRows = new LongHashSet();

    private final LongHashSet leasedInTable = new LongHashSet();
    private final LongHashSet leasesChanged = new LongHashSet();

    /** This run's number among the job's runs, 1 for the first. */
    private final long run;

    /**
     * Crawl-delay floors (nanoseconds) of origins, known from earlier runs, each given to its slot
     * at the origin's first lease of this run ({@link #crawlDelayFromFirstRequest}).
     */
    private final Map<String, Long> floorsByOrigin = new HashMap<>();

    private long unreadableRobotsTxt;
    private long deadLetterCount;
    private int nextSlotId;
    private long queued;
    private long inMemory;
    private long maxInMemory;
    private long spillAt;
    private long readFromDatabase;
    private long nextSequence;
    private long sequenceReserved;
    private long seenSinceSave;
    private long wakeUps;
    private boolean closed;

    /**
     * The factory the engine calls for a crawl with a job dir: each {@code open} opens (or makes)
     * {@code frontier.db} in {@code jobDir}.
     */
    public static FrontierFactory factory(Path jobDir) {
        return setup -> open(jobDir, setup);
    }

    /**
     * Opens the job dir's frontier, making the directory and its database when there are none. The
     * setup's spill directory is not used: what memory does not hold is in the database.
     *
     * @throws FrontierException (not transient) when another frontier holds the job dir ({@link
     *     FrontierException.Kind#IN_USE}), its database is damaged, foreign, of a newer schema or
     *     of another crawl ({@link FrontierException.Kind#REFUSED}), or cannot be written ({@link
     *     FrontierException.Kind#STORAGE}); the message names the file and says what to do
     */
    public static SqliteFrontier open(Path jobDir, FrontierSetup setup) {
        return new SqliteFrontier(jobDir, setup);
    }

    private SqliteFrontier(Path jobDir, FrontierSetup setup) {
        this.jobDir = jobDir;
        this.rules = setup.rules();
        this.ticker = setup.ticker();
        this.memoryQueueLimit = setup.memoryQueueLimit();
        this.spillAt = memoryQueueLimit;
        this.order = setup.order();
        this.schedule =
                new SlotSchedule<>(
                        setup,
                        StoredRequest.RANK_ORDER,
                        new SlotSchedule.Owner<>() {
                            @Override
                            public StoredSlotQueue newQueue(String key) {
                                return new StoredSlotQueue();
                            }

                            @Override
                            public long id(String key) {
                                Integer id = slotIds.get(key);
                                if (id == null) {
                                    throw new IllegalStateException(
                                            "slot " + key + " has no id: not stored yet");
                                }
                                return id;
                            }

                            @Override
                            public void queueAgain(
                                    LeaseState<StoredRequest, StoredSlotQueue> expired) {
                                queueExpired(expired);
                            }
                        },
                        changed,
                        log);
        this.jobLock = JobDirLock.acquire(jobDir);
        SqliteStore opened = null;
        try {
            opened = SqliteStore.open(jobDir, setup.crawl(), order);
            this.store = opened;
            this.opening = opened.holdsCrawl() ? Opening.RESUMED : Opening.FRESH;
            this.sequenceReserved = opened.sequenceReserved();
            this.nextSequence = sequenceReserved;
            this.restoredCounters = Map.copyOf(opened.counters());
            this.seen = restoreSeen(opened, setup.dedup());
            this.bloomSaveEvery =
                    seen instanceof BloomSeenSet bloom
                            ? Math.max(BLOOM_SAVE_MIN, bloom.expectedCount() / 10)
                            : Long.MAX_VALUE;
            this.outbox =
                    new MemoryOutbox(
                            opened.unacknowledged(),
                            opened.lastOutboxSequence() + 1,
                            opened.feedPositions(),
                            this::recordAcknowledged);
            this.nextOutboxSequence = outbox.nextSequence();
            restoreQueue();
            this.run = opened.startRun(ProcessHandle.current().pid(), ticker.now());
            this.deadLetterCount = opened.deadLetterCount();
        } catch (RuntimeException e) {
            if (opened != null) {
                opened.close();
            }
            jobLock.close();
            if (e instanceof FrontierException f && f.kind() == FrontierException.Kind.FAILED) {
                // what cannot be read back at open is damaged: say so, and what to do
                throw new FrontierException(
                        f.getMessage() + "; the file is damaged: " + SqliteStore.START_AFRESH,
                        FrontierException.Kind.REFUSED,
                        false,
                        f);
            }
            throw e;
        }
        if (opening == Opening.RESUMED) {
            log.info(
                    "resuming the crawl '{}' from {}: {} requests queued, {} seen, {} item"
                            + " batches to write again",
                    setup.crawl(),
                    store.file(),
                    queued,
                    seen == null ? 0 : seen.size(),
                    outbox.ready());
        }
    }

    /** The seen set as committed: the saved Bloom filter if any, then the logged fingerprints. */
    private @Nullable SeenSet restoreSeen(SqliteStore opened, @Nullable Dedup dedup) {
        if (dedup == null) {
            return null;
        }
        SeenSet restored = opened.savedBloom();
        if (restored != null && !dedup.bloom()) {
            log.warn(
                    "{} keeps its seen set in a Bloom filter, which cannot become exact; it stays"
                            + " a Bloom filter",
                    opened.file());
        }
        SeenSet set = restored != null ? restored : dedup.newSeenSet();
        long[] logged = {0};
        opened.forEachSeen(
                fingerprint -> {
                    set.add(fingerprint);
                    logged[0]++;
                });
        this.seenSinceSave = set instanceof BloomSeenSet ? logged[0] : 0;
        return set;
    }

    /**
     * Queued rows back in their slots, retries waiting for their time back in {@link #deferred}.
     */
    private void restoreQueue() {
        Map<Integer, String> names = store.slots();
        names.forEach((id, name) -> slotIds.put(name, id));
        nextSlotId = names.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        long nowMillis = ticker.now().toEpochMilli();
        long now = ticker.nanos();
        Map<Integer, Long> perSlot = store.queuedPerSlot();
        for (SqliteStore.Loaded row : store.waiting(nowMillis)) {
            StoredRequest r = stored(row, slotName(names, row.slot()));
            r.notBeforeNanos = now + (row.notBeforeMillis() - nowMillis) * 1_000_000;
            deferred.add(r);
            held.add(r.id);
            perSlot.merge(row.slot(), -1L, Long::sum);
        }
        queued = deferred.size();
        perSlot.forEach(
                (id, count) -> {
                    if (count > 0) {
                        schedule.slot(slotName(names, id)).queue.addInDatabaseOnly(count);
                        queued += count;
                    }
                });
        for (var slot : schedule.slots()) {
            read(slot);
            schedule.index(slot, now);
        }
    }

    private String slotName(Map<Integer, String> names, int id) {
        String name = names.get(id);
        if (name == null) {
            throw new FrontierException(
                    store.file() + " is damaged: a queued request names slot " + id + ", unknown",
                    false,
                    null);
        }
        return name;
    }

    private static StoredRequest stored(SqliteStore.Loaded row, String slot) {
        return new StoredRequest(
                row.id(),
                slot,
                row.request(),
                row.rankPriority(),
                row.rankDepth(),
                row.rankSequence());
    }

    @Override
    public Opening opening() {
        return opening;
    }

    @Override
    public int add(List<Request> requests) {
        Prepared prepared = prepare(requests);
        lock.lock();
        try {
            checkOpen();
            List<StoredRequest> fresh = stage(prepared, pending);
            if (fresh.isEmpty()) {
                return 0;
            }
            commitGroup();
            queueAll(fresh, ticker.nanos());
            changed.signalAll();
            return fresh.size();
        } finally {
            lock.unlock();
        }
    }

    /** Requests with their slots and fingerprints (null where not deduplicated). */
    private record Prepared(
            List<Request> requests, String[] slots, @Nullable Fingerprint[] fingerprints) {}

    /**
     * Slots and fingerprints are made outside the lock: both may be slow (a slot per IP resolves
     * the host). The stored form is made under it, for the requests not seen before only: most
     * links of a page were seen.
     */
    private Prepared prepare(List<Request> requests) {
        int n = requests.size();
        String[] slotKeys = new String[n];
        Fingerprint[] fingerprints = new Fingerprint[n];
        for (int i = 0; i < n; i++) {
            Request r = requests.get(i);
            slotKeys[i] = rules.slotOf(r);
            fingerprints[i] = seen != null && !r.dontFilter() ? Fingerprint.of(r) : null;
        }
        return new Prepared(List.copyOf(requests), slotKeys, fingerprints);
    }

    /**
     * Drops the requests seen before and puts the rows of the others into the write; the caller
     * commits it and then queues what this returns.
     */
    private List<StoredRequest> stage(Prepared prepared, SqliteStore.Write write) {
        List<StoredRequest> fresh = new ArrayList<>(prepared.requests.size());
        for (int i = 0; i < prepared.requests.size(); i++) {
            Fingerprint fingerprint = prepared.fingerprints[i];
            if (fingerprint != null) {
                if (!seen.add(fingerprint)) {
                    continue;
                }
                write.seen.add(fingerprint);
            }
            long sequence = nextSequence++;
            Request request = prepared.requests.get(i);
            StoredRequest r =
                    StoredRequest.ranked(sequence, prepared.slots[i], request, order, sequence);
            write.inserted.add(row(r, write, 0, RequestCodec.toBytes(request)));
            fresh.add(r);
        }
        reserveSequence(write);
        return fresh;
    }

    private SqliteStore.Row row(
            StoredRequest r, SqliteStore.Write write, long notBeforeMillis, byte[] stored) {
        return new SqliteStore.Row(
                r.id,
                slotId(r.slot, write),
                r.rankPriority,
                r.rankDepth,
                r.rankSequence,
                notBeforeMillis,
                stored);
    }

    /** The database id of a slot; a new one is inserted with the write. */
    private int slotId(String slot, SqliteStore.Write write) {
        Integer id = slotIds.get(slot);
        if (id == null) {
            id = nextSlotId++;
            slotIds.put(slot, id);
            write.slots.put(id, slot);
        }
        return id;
    }

    private void reserveSequence(SqliteStore.Write write) {
        if (nextSequence > sequenceReserved) {
            write.reserveSequence = nextSequence + SEQUENCE_BLOCK;
        }
    }

    private void commit(SqliteStore.Write write) {
        for (LongCursor row : leasesChanged) {
            boolean leased = leasedRows.contains(row.value);
            if (leased != leasedInTable.contains(row.value)) {
                (leased ? write.leased : write.unleased).add(row.value);
            }
        }
        store.commit(write);
        leasesChanged.clear();
        write.leased.forEach(leasedInTable::add);
        write.unleased.forEach(leasedInTable::remove);
        if (write.reserveSequence > 0) {
            sequenceReserved = write.reserveSequence;
        }
        seenSinceSave += write.seen.size();
    }

    private void queueAll(List<StoredRequest> fresh, long now) {
        for (StoredRequest r : fresh) {
            queue(r, now);
        }
        queued += fresh.size();
        if (inMemory > spillAt) {
            evict();
        }
        maxInMemory = Math.max(maxInMemory, inMemory);
        if (seenSinceSave >= bloomSaveEvery && seen instanceof BloomSeenSet bloom) {
            store.saveBloom(bloom);
            seenSinceSave = 0;
        }
    }

    /** Puts a request whose row is in the database in its slot's queue. */
    private void queue(StoredRequest r, long now) {
        var slot = schedule.slot(r.slot);
        schedule.unindex(slot);
        if (slot.queue.add(r)) {
            inMemory++;
        }
        schedule.index(slot, now);
    }

    /**
     * Keeps the best few requests of each slot in memory, half the limit in all; the others are
     * read back from the database as their slot gets to them. Never changes a slot's best request,
     * so the indexes hold.
     */
    private void evict() {
        int keep =
                (int)
                        Math.min(
                                CHUNK_SIZE,
                                memoryQueueLimit / 2 / Math.max(1, schedule.slots().size()));
        for (var slot : schedule.slots()) {
            inMemory -= slot.queue.evict(keep);
        }
        spillAt = Math.max(memoryQueueLimit, inMemory + memoryQueueLimit / 2);
    }

    /** Reads a slot's next rows from the database while its head is empty and rows wait there. */
    private void read(Slot<StoredRequest, StoredSlotQueue> slot) {
        int chunk =
                (int)
                        Math.max(
                                1,
                                Math.min(
                                        CHUNK_SIZE,
                                        memoryQueueLimit
                                                / 2
                                                / Math.max(1, schedule.slots().size())));
        while (slot.queue.needsRead()) {
            StoredRequest after = slot.queue.boundary();
            List<SqliteStore.Loaded> rows =
                    after == null
                            ? store.next(
                                    (int) slot.id,
                                    Long.MIN_VALUE,
                                    Long.MIN_VALUE,
                                    Long.MIN_VALUE,
                                    chunk)
                            : store.next(
                                    (int) slot.id,
                                    after.rankPriority,
                                    after.rankDepth,
                                    after.rankSequence,
                                    chunk);
            StoredRequest last = null;
            int kept = 0;
            for (SqliteStore.Loaded row : rows) {
                last = stored(row, slot.key);
                if (!held.contains(row.id())) {
                    slot.queue.keep(last);
                    kept++;
                }
            }
            inMemory += kept;
            readFromDatabase += kept;
            if (slot.queue.read(last, kept, rows.size() < chunk)) {
                log.warn(
                        "slot {}: fewer or more requests were queued in {} than counted; the"
                                + " count is set right",
                        slot.key,
                        store.file());
            }
        }
        maxInMemory = Math.max(maxInMemory, inMemory);
    }

    @Override
    public @Nullable Lease take(Duration maxWait) throws InterruptedException {
        long deadline = ticker.nanos() + maxWait.toNanos();
        lock.lockInterruptibly();
        try {
            long wakeUpsAtStart = wakeUps;
            while (true) {
                long now = ticker.nanos();
                expireLeases(now);
                promote(now);
                if (closed || isFinishedLocked() || wakeUps != wakeUpsAtStart) {
                    return null;
                }
                var slot = schedule.pollReady();
                if (slot != null) {
                    return lease(slot, now);
                }
                long remaining = deadline - now;
                if (remaining <= 0) {
                    return null;
                }
                long wait = Math.min(remaining, nextEventNanos(now));
                if (schedule.leaseCount() == 0) {
                    ticker.idle(changed, wait); // only time can make a slot ready now
                } else {
                    changed.awaitNanos(wait);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Moves due deferred requests into their slots and due waiting slots into the ready set. */
    private void promote(long now) {
        while (!deferred.isEmpty() && deferred.peek().notBeforeNanos <= now) {
            StoredRequest r = deferred.poll();
            held.remove(r.id);
            queue(r, now);
        }
        maxInMemory = Math.max(maxInMemory, inMemory);
        schedule.promoteWaiting(now);
    }

    private long nextEventNanos(long now) {
        return schedule.nanosUntilNextEvent(
                now, deferred.isEmpty() ? Long.MAX_VALUE : deferred.peek().notBeforeNanos - now);
    }

    private Lease lease(Slot<StoredRequest, StoredSlotQueue> slot, long now) {
        StoredRequest e = slot.queue.poll();
        inMemory--;
        queued--;
        read(slot);
        held.add(e.id);
        leasedRows.add(e.id);
        leasesChanged.add(e.id);
        if (!floorsByOrigin.isEmpty()) {
            floorFromEarlierRun(slot, e.request, now);
        }
        return schedule.lease(slot, e, e.request, now);
    }

    /**
     * Gives the slot the Crawl-delay an earlier run learned for the request's origin, before the
     * origin's first start of this run: as a lease ending that reported it would.
     */
    private void floorFromEarlierRun(
            Slot<StoredRequest, StoredSlotQueue> slot, Request request, long now) {
        if (Urls.isData(request.url())) {
            return;
        }
        Long floor = floorsByOrigin.remove(Urls.origin(request.url()));
        if (floor != null) {
            schedule.signal(
                    slot, SlotSignals.NOT_SENT.withCrawlDelay(Duration.ofNanos(floor)), now);
        }
    }

    @Override
    public void started(Lease lease) {
        if (!schedule.anyDelay()) {
            return;
        }
        lock.lock();
        try {
            schedule.started(lease.token());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Ending done(Lease lease, List<Request> produced, List<Item> items, SlotSignals signals) {
        return done(lease, produced, items, signals, null);
    }

    /** Also keeps the page's record, in the ending's transaction, for recrawls. */
    @Override
    public Ending done(
            Lease lease,
            List<Request> produced,
            List<Item> items,
            SlotSignals signals,
            @Nullable FetchedPage page) {
        Prepared prepared = prepare(produced);
        SqliteStore.PageRow pageRow = page == null ? null : pageRow(lease, page);
        byte[] source = items.isEmpty() ? null : RequestCodec.toBytes(lease.request());
        byte[] itemBytes = items.isEmpty() ? null : ItemCodec.toBytes(items);
        lock.lock();
        try {
            checkOpen();
            var state = endLease(lease);
            if (state == null) {
                return Ending.LEASE_LOST;
            }
            List<StoredRequest> fresh = stage(prepared, pending);
            long row = state.entry.id;
            pending.deleted.add(row);
            if (pageRow != null) {
                pending.pages.add(pageRow);
            }
            if (!items.isEmpty()) {
                pending.outbox.add(
                        new SqliteStore.OutboxRow(nextOutboxSequence++, source, itemBytes));
            }
            schedule.release(
                    state, signals); // the server is done with it: the slot goes on meanwhile
            afterCommit.add(
                    () -> {
                        held.remove(row);
                        if (!items.isEmpty()) {
                            outbox.append(lease.request(), items);
                        }
                        queueAll(fresh, ticker.nanos());
                    });
            committing.add(lease.token());
            if (groupDones++ == 0) {
                groupOpenedNanos = System.nanoTime();
            }
            awaitCommitted(openGroup);
            return Ending.accepted(fresh.size());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits (the lock released meanwhile) until the group is committed, committing it when it is
     * due: full, waited long enough, or no lease is out that could join it. A done lease returns
     * once its ending is committed, as if it had its own commit, and the endings of one moment
     * share one: the group commit is what keeps the WAL small (docs/performance.md).
     */
    private void awaitCommitted(long group) {
        boolean interrupted = false;
        try {
            while (committedGroup < group) {
                if (failedGroup >= group) {
                    throw new FrontierException(
                            groupFailure.getMessage(), groupFailure.kind(), false, groupFailure);
                }
                long waited = System.nanoTime() - groupOpenedNanos;
                long left = GROUP_WAIT.toNanos() - waited;
                if (left <= 0
                        || interrupted
                        || groupDones >= GROUP_MAX_DONES
                        || schedule.leaseCount() == 0) {
                    commitGroup();
                } else {
                    try {
                        groupChanged.awaitNanos(left);
                    } catch (InterruptedException e) {
                        interrupted = true; // an aborting crawl: commit now, keep the interrupt
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Commits everything pending in one transaction, then lets the group's done leases go on: their
     * rows are no longer held, their requests queued, their items in the outbox. A failed commit
     * fails every done lease of the group; the store is then unusable, and the next run resumes
     * from the last commit.
     */
    private void commitGroup() {
        SqliteStore.Write write = pending;
        List<Runnable> actions = afterCommit;
        long group = openGroup++;
        int dones = groupDones;
        pending = new SqliteStore.Write();
        afterCommit = new ArrayList<>();
        groupDones = 0;
        committing.clear();
        try {
            commit(write);
        } catch (FrontierException e) {
            failedGroup = group;
            groupFailure = e;
            groupChanged.signalAll();
            throw e;
        }
        committedGroup = group;
        commits++;
        donesCommitted += dones;
        actions.forEach(Runnable::run);
        groupChanged.signalAll();
        changed.signalAll();
    }

    /**
     * The page's row, made outside the lock (its body hashed): a revalidated page keeps the hash,
     * and the validators its 304 did not send, of the record its request carried.
     */
    private SqliteStore.PageRow pageRow(Lease lease, FetchedPage page) {
        PageRecord kept = page.revalidated() ? PageRecord.of(lease.request()) : null;
        String etag = page.etag();
        String lastModified = page.lastModified();
        String contentHash = page.contentHash();
        if (kept != null) {
            etag = etag != null ? etag : kept.etag();
            lastModified = lastModified != null ? lastModified : kept.lastModified();
            contentHash = kept.contentHash();
        }
        return new SqliteStore.PageRow(
                Fingerprint.of(page.request()),
                ticker.now().toEpochMilli(),
                etag,
                lastModified,
                contentHash,
                RequestCodec.toBytes(page.request()));
    }

    /**
     * Reads the pages to queue again from the database as it queues them, in one transaction, and
     * then the best of each slot, as at open. Slots are computed under the lock here (per IP, a
     * host's first one resolves it): nothing else runs while a finished crawl is queued again.
     */
    @Override
    public int requeueFetchedBefore(Instant fetchedBefore) {
        lock.lock();
        try {
            checkOpen();
            if (!isFinishedLocked()) {
                throw new IllegalStateException(
                        "pages are queued again only on a finished frontier; "
                                + queued
                                + " requests are queued and "
                                + schedule.leaseCount()
                                + " leases out");
            }
            SqliteStore.Write slotsToAdd = new SqliteStore.Write();
            Map<String, Long> perSlot = new LinkedHashMap<>();
            int requeued =
                    store.requeuePages(
                            fetchedBefore.toEpochMilli(),
                            page -> {
                                Request request =
                                        page.request()
                                                .withMeta(PageRecord.META, page.record().toMeta());
                                String slot = rules.slotOf(request);
                                long sequence = nextSequence++;
                                perSlot.merge(slot, 1L, Long::sum);
                                return row(
                                        StoredRequest.ranked(
                                                sequence, slot, request, order, sequence),
                                        slotsToAdd,
                                        0,
                                        RequestCodec.toBytes(request));
                            },
                            slotsToAdd.slots,
                            () -> {
                                reserveSequence(slotsToAdd);
                                return slotsToAdd.reserveSequence;
                            });
            if (slotsToAdd.reserveSequence > 0) {
                sequenceReserved = slotsToAdd.reserveSequence;
            }
            long now = ticker.nanos();
            perSlot.forEach(
                    (key, count) -> {
                        var slot = schedule.slot(key);
                        schedule.unindex(slot);
                        slot.queue.addInDatabaseOnly(count);
                        queued += count;
                        read(slot);
                        schedule.index(slot, now);
                    });
            changed.signalAll();
            return requeued;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Ending retry(
            Lease lease, Request request, Duration delay, String reason, SlotSignals signals) {
        String slotKey = rules.slotOf(request);
        byte[] stored = RequestCodec.toBytes(request);
        long delayNanos = Math.max(0, delay.toNanos());
        lock.lock();
        try {
            checkOpen();
            var state = endLease(lease);
            if (state == null) {
                return Ending.LEASE_LOST;
            }
            SqliteStore.Write write = pending;
            long sequence = nextSequence++;
            reserveSequence(write);
            // the same row, ranked as arriving now; it stays held until its time comes
            StoredRequest again =
                    StoredRequest.ranked(state.entry.id, slotKey, request, order, sequence);
            Instant notBefore = ticker.now().plusNanos(delayNanos);
            long notBeforeMillis =
                    notBefore.toEpochMilli() + (notBefore.getNano() % 1_000_000 == 0 ? 0 : 1);
            write.updated.add(row(again, write, Math.max(1, notBeforeMillis), stored));
            commitGroup();
            again.notBeforeNanos = ticker.nanos() + delayNanos;
            deferred.add(again);
            queued++;
            schedule.release(state, signals);
            return Ending.accepted(0);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Ending fail(Lease lease, String reason, SlotSignals signals) {
        byte[] stored = RequestCodec.toBytes(lease.request());
        lock.lock();
        try {
            checkOpen();
            var state = endLease(lease);
            if (state == null) {
                return Ending.LEASE_LOST;
            }
            SqliteStore.Write write = pending;
            write.deleted.add(state.entry.id);
            write.dead =
                    new SqliteStore.DeadRow(
                            lease.request().url(),
                            reason,
                            DeadLetter.attemptsOf(lease.request()),
                            signals.status(),
                            ticker.now(),
                            stored);
            commitGroup();
            deadLetterCount++;
            held.remove(state.entry.id);
            schedule.release(state, signals);
            return Ending.accepted(0);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public @Nullable Lease renew(Lease lease) {
        lock.lock();
        try {
            long now = ticker.nanos();
            expireLeases(now);
            Lease renewed = schedule.renew(lease, now);
            if (renewed == null && committing.contains(lease.token())) {
                return lease; // ended, and waiting for its group's commit: nothing lost
            }
            return renewed;
        } finally {
            lock.unlock();
        }
    }

    private @Nullable LeaseState<StoredRequest, StoredSlotQueue> endLease(Lease lease) {
        var state = schedule.endLease(lease.token());
        if (state != null) {
            leaseGone(state);
        }
        return state;
    }

    private void leaseGone(LeaseState<StoredRequest, StoredSlotQueue> state) {
        leasedRows.remove(state.entry.id);
        leasesChanged.add(state.entry.id);
    }

    /**
     * Queues again (in memory: the row never left the database) the requests of leases past their
     * deadline, and frees their permits.
     */
    private void expireLeases(long now) {
        schedule.expireLeases(now);
    }

    /** Queues again, at once, the request of a lease that expired. */
    private void queueExpired(LeaseState<StoredRequest, StoredSlotQueue> expired) {
        leaseGone(expired);
        expired.entry.notBeforeNanos = ticker.nanos();
        deferred.add(expired.entry);
        queued++;
    }

    @Override
    public ItemOutbox outbox() {
        return outbox;
    }

    /** Called by the outbox before an acknowledgement counts: one transaction. */
    private void recordAcknowledged(long sequence, Map<String, Long> feedPositions) {
        lock.lock();
        try {
            checkOpen();
            store.acknowledge(sequence, feedPositions);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isFinished() {
        lock.lock();
        try {
            return isFinishedLocked();
        } finally {
            lock.unlock();
        }
    }

    private boolean isFinishedLocked() {
        return queued == 0 && schedule.leaseCount() == 0 && groupDones == 0;
    }

    @Override
    public boolean awaitFinished(Duration timeout) throws InterruptedException {
        long deadline = ticker.nanos() + timeout.toNanos();
        lock.lockInterruptibly();
        try {
            while (true) {
                long now = ticker.nanos();
                expireLeases(now);
                promote(now);
                if (isFinishedLocked()) {
                    return true;
                }
                long remaining = deadline - now;
                if (remaining <= 0) {
                    return false;
                }
                changed.awaitNanos(Math.min(remaining, nextEventNanos(now)));
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long queuedCount() {
        lock.lock();
        try {
            return queued;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int leasedCount() {
        lock.lock();
        try {
            return schedule.leaseCount();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Map<String, Long> restoredCounters() {
        return restoredCounters;
    }

    /** Replaces the saved counters, in one transaction. */
    @Override
    public void saveCounters(Map<String, Long> counters) {
        lock.lock();
        try {
            checkOpen();
            store.saveCounters(counters, ticker.now());
        } finally {
            lock.unlock();
        }
    }

    /** Every request that failed for good in this job dir, in all runs, oldest first. */
    @Override
    public List<DeadLetter> deadLetters() {
        lock.lock();
        try {
            checkOpen();
            return store.deadLetters();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues the dead letters again and deletes them, in one transaction: each as a new row ranked
     * as arriving now (its priority and depth kept), its {@code retry_times} removed, its
     * fingerprint not looked up. Meant for the start of a crawl: the slots of the requests are
     * found under the frontier's lock.
     */
    @Override
    public int requeueDeadLetters() {
        lock.lock();
        try {
            checkOpen();
            List<DeadLetter> letters = store.deadLetters();
            if (letters.isEmpty()) {
                return 0;
            }
            SqliteStore.Write write = pending;
            List<StoredRequest> again = new ArrayList<>(letters.size());
            for (DeadLetter letter : letters) {
                Request request = letter.request().withMeta(DeadLetter.RETRY_TIMES, null);
                long sequence = nextSequence++;
                StoredRequest r =
                        StoredRequest.ranked(
                                sequence, rules.slotOf(request), request, order, sequence);
                write.inserted.add(row(r, write, 0, RequestCodec.toBytes(request)));
                again.add(r);
            }
            reserveSequence(write);
            write.requeuedDeadLetters = true;
            commitGroup();
            deadLetterCount = 0;
            queueAll(again, ticker.nanos());
            changed.signalAll();
            log.info("{} dead letters queued again", again.size());
            return again.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public @Nullable RobotsTxtRecord robotsTxt(String origin) {
        lock.lock();
        try {
            checkOpen();
            return store.robotsTxt(origin, this::robotsTxtSkipped);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<RobotsTxtRecord> robotsTxtWithCrawlDelay() {
        lock.lock();
        try {
            checkOpen();
            return store.robotsTxtWithCrawlDelay(this::robotsTxtSkipped);
        } finally {
            lock.unlock();
        }
    }

    /** A row of the {@code robots} table this code did not write: its origin is fetched again. */
    private void robotsTxtSkipped(@Nullable String origin, String problem) {
        unreadableRobotsTxt++;
        log.warn(
                "the robots.txt of {} kept in {} cannot be read ({}): it is fetched again",
                origin,
                store.file(),
                problem);
    }

    /** One transaction of its own, under the lock: one per origin and 24 hours. */
    @Override
    public void keepRobotsTxt(RobotsTxtRecord record) {
        lock.lock();
        try {
            checkOpen();
            store.keepRobotsTxt(record);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void crawlDelayFromFirstRequest(String origin, Duration crawlDelay) {
        if (!crawlDelay.isPositive()) {
            return;
        }
        lock.lock();
        try {
            floorsByOrigin.merge(origin, crawlDelay.toNanos(), Math::max);
        } finally {
            lock.unlock();
        }
    }

    /** Records the end of this run in the {@code runs} table, with the leases still out. */
    @Override
    public void runEnded(String status, String reason) {
        lock.lock();
        try {
            checkOpen();
            store.endRun(run, ticker.now(), status, reason, schedule.leaseCount());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void wakeUp() {
        lock.lock();
        try {
            wakeUps++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Map<String, Long> stats() {
        lock.lock();
        try {
            Map<String, Long> stats = new LinkedHashMap<>();
            stats.put("frontier/run", run);
            stats.put("frontier/dead_letters", deadLetterCount);
            stats.put("scheduler/max_in_memory", maxInMemory);
            stats.put("scheduler/read_from_disk", readFromDatabase);
            stats.put("frontier/commits", commits);
            stats.put("frontier/dones_committed", donesCommitted);
            if (seen != null) {
                stats.put("dupefilter/seen", seen.size());
                stats.put("dupefilter/heap_bytes", seen.heapBytes());
            }
            schedule.addStats(stats);
            if (unreadableRobotsTxt > 0) {
                stats.put("robotstxt/restore_failed", unreadableRobotsTxt);
            }
            return stats;
        } finally {
            lock.unlock();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new FrontierException(
                    "the frontier of the job dir " + jobDir + " is closed", false, null);
        }
    }

    /**
     * Stops every {@link #take}, saves the Bloom filter (if any) and closes the database and the
     * job dir's lock. Queued requests and leases still out stay queued for the next run.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            if (groupDones > 0) {
                try {
                    commitGroup();
                } catch (FrontierException e) {
                    // its done leases are told; their requests are fetched again next run
                    log.warn("could not commit the last done leases: {}", e.getMessage());
                }
            }
            closed = true;
            changed.signalAll();
            if (seenSinceSave > 0 && seen instanceof BloomSeenSet bloom) {
                try {
                    store.saveBloom(bloom);
                } catch (FrontierException e) {
                    // what it held is in the fingerprint log, replayed at the next open
                    log.warn("could not save the Bloom filter of seen requests", e);
                }
            }
            store.close();
            jobLock.close();
        } finally {
            lock.unlock();
        }
    }
}
