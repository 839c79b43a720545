package dev.logdist.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Simulated agents for the demo: each posts packets of random size to the distributor for a bounded time, resends a
 * packet (same packetId) after a 503 or a connection error as a real agent would, and records latencies.
 * Usage: {@code LoadDriver --url URL [--agents N] [--seconds S] [--rate PACKETS_PER_S] [--max-size N] [--out FILE]}.
 */
public final class LoadDriver {

    private static final String[] LEVELS = {"DEBUG", "INFO", "INFO", "INFO", "WARN", "ERROR"};
    private static final String[] SERVICES = {"checkout", "payments", "inventory", "auth", "search", "gateway"};

    private final URI url;
    private final int agents;
    private final long deadlineNanos;
    private final double ratePerAgent;
    private final int maxSize;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final LongAdder packets = new LongAdder();
    private final LongAdder messages = new LongAdder();
    private final LongAdder resends = new LongAdder();
    private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    private final LongAdder connectionErrors = new LongAdder();
    private final long[][] latencies;
    private final AtomicLong[] latencyCounts;

    LoadDriver(URI url, int agents, int seconds, double rate, int maxSize) {
        this.url = url;
        this.agents = agents;
        this.deadlineNanos = System.nanoTime() + seconds * 1_000_000_000L;
        this.ratePerAgent = rate <= 0 ? 0 : rate / agents;
        this.maxSize = maxSize;
        this.latencies = new long[agents][];
        this.latencyCounts = new AtomicLong[agents];
        for (int i = 0; i < agents; i++) {
            latencies[i] = new long[1 << 16];
            latencyCounts[i] = new AtomicLong();
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new TreeMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        LoadDriver driver = new LoadDriver(URI.create(opts.getOrDefault("url", "http://127.0.0.1:8080/logs")),
                Integer.parseInt(opts.getOrDefault("agents", "8")), Integer.parseInt(opts.getOrDefault("seconds", "30")),
                Double.parseDouble(opts.getOrDefault("rate", "0")), Integer.parseInt(opts.getOrDefault("max-size", "50")));
        String summary = driver.run();
        System.out.println(summary);
        if (opts.containsKey("out")) {
            Files.writeString(Path.of(opts.get("out")), summary + "\n");
        }
    }

    String run() throws InterruptedException {
        long start = System.nanoTime();
        Thread[] threads = new Thread[agents];
        for (int a = 0; a < agents; a++) {
            int agent = a;
            threads[a] = new Thread(() -> agentLoop(agent), "agent-" + a);
            threads[a].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        return summary((System.nanoTime() - start) / 1e9);
    }

    private void agentLoop(int agent) {
        Random random = new Random(agent * 7919L + System.nanoTime());
        long interval = ratePerAgent > 0 ? (long) (1_000_000_000L / ratePerAgent) : 0;
        long next = System.nanoTime();
        for (long seq = 0; System.nanoTime() < deadlineNanos; seq++) {
            if (interval > 0) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
                next += interval;
            }
            int size = 1 + random.nextInt(maxSize);
            byte[] body = packet(random, "agent-" + agent, "agent-" + agent + "-" + seq, size);
            if (sendUntilAccepted(agent, body)) {
                packets.increment();
                messages.add(size);
            }
        }
    }

    /** Sends, resending the same packet after a 503 or a connection error, until accepted or time is up. */
    private boolean sendUntilAccepted(int agent, byte[] body) {
        HttpRequest request = HttpRequest.newBuilder(url).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        for (int attempt = 0; ; attempt++) {
            if (attempt > 0) {
                resends.increment();
                if (System.nanoTime() > deadlineNanos + 30_000_000_000L) {
                    return false;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(200_000_000L);
            }
            long t0 = System.nanoTime();
            try {
                HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
                statuses.computeIfAbsent(r.statusCode(), k -> new LongAdder()).increment();
                record(agent, System.nanoTime() - t0);
                if (r.statusCode() == 202) {
                    return true;
                }
                if (r.statusCode() != 503) {
                    return false;
                }
            } catch (IOException e) {
                connectionErrors.increment();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    private void record(int agent, long nanos) {
        long i = latencyCounts[agent].getAndIncrement();
        long[] mine = latencies[agent];
        if (i >= mine.length) {
            latencies[agent] = mine = Arrays.copyOf(mine, mine.length * 2);
        }
        mine[(int) i] = nanos;
    }

    private String summary(double seconds) {
        int total = 0;
        for (AtomicLong c : latencyCounts) {
            total += (int) c.get();
        }
        long[] all = new long[total];
        int at = 0;
        for (int a = 0; a < agents; a++) {
            int n = (int) latencyCounts[a].get();
            System.arraycopy(latencies[a], 0, all, at, n);
            at += n;
        }
        Arrays.sort(all);
        StringBuilder codes = new StringBuilder();
        new TreeMap<>(statuses).forEach((k, v) -> codes.append(codes.length() == 0 ? "" : ",").append('"').append(k)
                .append("\":").append(v.sum()));
        return String.format(java.util.Locale.ROOT,
                "{\"seconds\":%.1f,\"packetsAccepted\":%d,\"messagesAccepted\":%d,\"messagesPerSecond\":%.0f,"
                        + "\"p50Ms\":%.2f,\"p99Ms\":%.2f,\"resends\":%d,\"connectionErrors\":%d,\"statuses\":{%s}}",
                seconds, packets.sum(), messages.sum(), messages.sum() / seconds, percentile(all, 0.50), percentile(all, 0.99),
                resends.sum(), connectionErrors.sum(), codes);
    }

    private static double percentile(long[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))] / 1e6;
    }

    static byte[] packet(Random random, String agent, String packetId, int size) {
        StringBuilder b = new StringBuilder(180 * size + 80).append("{\"agentId\":\"").append(agent)
                .append("\",\"packetId\":\"").append(packetId).append("\",\"messages\":[");
        long now = System.currentTimeMillis();
        for (int i = 0; i < size; i++) {
            b.append(i == 0 ? "" : ",").append("{\"timestamp\":\"").append(java.time.Instant.ofEpochMilli(now + i))
                    .append("\",\"level\":\"").append(LEVELS[random.nextInt(LEVELS.length)])
                    .append("\",\"source\":\"host-").append(random.nextInt(20))
                    .append("\",\"service\":\"").append(SERVICES[random.nextInt(SERVICES.length)])
                    .append("\",\"message\":\"request ").append(random.nextInt(1_000_000)).append(" completed in ")
                    .append(random.nextInt(3000)).append(" ms\"}");
        }
        return b.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }
}
