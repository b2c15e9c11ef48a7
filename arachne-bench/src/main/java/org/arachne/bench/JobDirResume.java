package org.arachne.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.arachne.frontier.Frontier;
import org.arachne.frontier.FrontierSetup;
import org.arachne.frontier.Lease;
import org.arachne.frontier.SqliteFrontier;
import org.arachne.http.Request;

/**
 * What does a job dir cost on disk, and how long does a large one take to resume? Queues {@code
 * REQUESTS} requests of the bench site's shape into a fresh job dir (20 a transaction, as a page's
 * links arrive), closes it, measures its size, then times opening it again until the first lease.
 * Not JMH: each figure is one long run. Run by {@code bench/job-dir}.
 *
 * <p>Arguments: {@code REQUESTS MEMORY_QUEUE_LIMIT}. Prints one JSON object.
 */
public final class JobDirResume {
    private static final int BATCH = 20;

    private JobDirResume() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: JobDirResume REQUESTS MEMORY_QUEUE_LIMIT");
            System.exit(2);
        }
        int requests = Integer.parseInt(args[0]);
        long limit = Long.parseLong(args[1]);
        Path jobDir = Files.createTempDirectory("arachne-job-dir-bench");
        FrontierSetup setup = FrontierSetup.plainQueue().withMemoryQueueLimit(limit);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("requests", requests);
        report.put("memory_queue_limit", limit);
        try {
            long start = System.nanoTime();
            try (Frontier frontier = SqliteFrontier.open(jobDir, setup)) {
                List<Request> batch = new ArrayList<>(BATCH);
                for (int i = 0; i < requests; i++) {
                    batch.add(FrontierMemory.request(i));
                    if (batch.size() == BATCH) {
                        frontier.add(batch);
                        batch.clear();
                    }
                }
                frontier.add(batch);
            }
            report.put("queue_seconds", seconds(System.nanoTime() - start));
            long bytes = size(jobDir);
            report.put("job_dir_bytes", bytes);
            report.put("job_dir_bytes_per_request", Math.round(bytes / (double) requests));

            start = System.nanoTime();
            try (Frontier frontier = SqliteFrontier.open(jobDir, setup)) {
                report.put("open_seconds", seconds(System.nanoTime() - start));
                Lease first = frontier.take(Duration.ZERO);
                report.put("resume_to_first_lease_seconds", seconds(System.nanoTime() - start));
                report.put("opening", frontier.opening().toString());
                report.put("queued_after_resume", frontier.queuedCount() + (first == null ? 0 : 1));
            }
        } finally {
            try (Stream<Path> files = Files.walk(jobDir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        System.out.println(new ObjectMapper().writeValueAsString(report));
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            long total = 0;
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                total += Files.size(p);
            }
            return total;
        }
    }

    private static double seconds(long nanos) {
        return Math.round(nanos / 1e7) / 100.0;
    }
}
