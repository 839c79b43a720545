package dev.logdist.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every distributor setting, read once at start-up and validated; a bad value stops start-up with a
 * {@link ConfigException} naming the setting. Defaults live in {@code application.properties}; the environment wins.
 */
public record DistributorConfig(
        int port,
        String host,
        List<AnalyzerSpec> analyzers,
        Path dataDir,
        OutagePolicy outagePolicy,
        Optional<String> token,
        Limits limits,
        Delivery delivery,
        Outage outage,
        Security security,
        Optional<Kafka> kafka,
        Ingest ingest) {

    public static final Setting PORT = new Setting("distributor.port");
    public static final Setting HOST = new Setting("distributor.host");
    public static final Setting MANAGEMENT_PORT = new Setting("distributor.management-port");
    public static final Setting MANAGEMENT_HOST = new Setting("distributor.management-host");
    public static final Setting ANALYZERS = new Setting("distributor.analyzers");
    public static final Setting DATA_DIR = new Setting("distributor.data-dir");
    public static final Setting OUTAGE_POLICY = new Setting("distributor.outage-policy");
    public static final Setting TOKEN = new Setting("distributor.token");
    public static final Setting BUFFER = new Setting("distributor.buffer");
    public static final Setting DURABILITY = new Setting("distributor.durability");
    public static final Setting KAFKA_BOOTSTRAP = new Setting("distributor.kafka-bootstrap");
    public static final Setting KAFKA_TOPIC_PREFIX = new Setting("distributor.kafka-topic-prefix");
    public static final Setting KAFKA_PARTITIONS = new Setting("distributor.kafka-partitions");
    public static final Setting KAFKA_REPLICATION = new Setting("distributor.kafka-replication-factor");
    public static final Setting MAX_BODY_BYTES = new Setting("distributor.max-body-bytes");
    public static final Setting MAX_MESSAGES = new Setting("distributor.max-messages-per-packet");
    public static final Setting MAX_MESSAGE_CHARS = new Setting("distributor.max-message-chars");
    public static final Setting MAX_ATTRIBUTES = new Setting("distributor.max-attributes");
    public static final Setting MAX_CHUNK_MESSAGES = new Setting("distributor.max-chunk-messages");
    public static final Setting QUEUE_SIZE = new Setting("distributor.queue-size");
    public static final Setting QUEUE_MAX_BYTES = new Setting("distributor.queue-max-bytes");
    public static final Setting MAX_BATCH = new Setting("distributor.delivery.max-batch");
    public static final Setting MAX_BATCH_BYTES = new Setting("distributor.delivery.max-batch-bytes");
    public static final Setting LINGER_MS = new Setting("distributor.delivery.linger-ms");
    public static final Setting CONSUMERS = new Setting("distributor.consumers-per-analyzer");
    public static final Setting OFFER_TIMEOUT_MS = new Setting("distributor.offer-timeout-ms");
    public static final Setting DELIVERY_RETRIES = new Setting("distributor.delivery-retries");
    public static final Setting RETRY_DELAY_MS = new Setting("distributor.retry-delay-ms");
    public static final Setting DELIVERY_TIMEOUT_MS = new Setting("distributor.delivery-timeout-ms");
    public static final Setting CONNECT_TIMEOUT_MS = new Setting("distributor.delivery.connect-timeout-ms");
    public static final Setting BREAKER_FAILURE_RATE = new Setting("distributor.breaker.failure-rate-percent");
    public static final Setting BREAKER_WINDOW = new Setting("distributor.breaker.window");
    public static final Setting BREAKER_MINIMUM_CALLS = new Setting("distributor.breaker.minimum-calls");
    public static final Setting BREAKER_OPEN_MS = new Setting("distributor.breaker.open-ms");
    public static final Setting BREAKER_HALF_OPEN_CALLS = new Setting("distributor.breaker.half-open-calls");
    public static final Setting REPLAY_INTERVAL_MS = new Setting("distributor.replay.interval-ms");
    public static final Setting REPLAY_BATCH = new Setting("distributor.replay.batch");
    public static final Setting SPOOL_MAX_BYTES = new Setting("distributor.spool.max-bytes");
    public static final Setting SPOOL_SEGMENT_BYTES = new Setting("distributor.spool.segment-bytes");
    public static final Setting SPOOL_MIN_FREE_BYTES = new Setting("distributor.spool.min-free-bytes");
    public static final Setting SPOOL_CURSOR_INTERVAL_MS = new Setting("distributor.spool.cursor-interval-ms");
    public static final Setting INGEST_WAIT_THREADS = new Setting("distributor.ingest-wait-threads");
    public static final Setting INGEST_WAIT_QUEUE = new Setting("distributor.ingest-wait-queue");
    public static final Setting DEDUPE_WINDOW_SECONDS = new Setting("distributor.dedupe.window-seconds");
    public static final Setting DEDUPE_MAX_IDS = new Setting("distributor.dedupe.max-ids");
    public static final Setting MAX_JSON_DEPTH = new Setting("distributor.max-json-depth");
    public static final Setting MAX_JSON_STRING_CHARS = new Setting("distributor.max-json-string-chars");
    public static final Setting MAX_HEADER_BYTES = new Setting("distributor.max-header-bytes");
    public static final Setting MAX_INITIAL_LINE_BYTES = new Setting("distributor.max-initial-line-bytes");
    public static final Setting IDLE_TIMEOUT_SECONDS = new Setting("distributor.idle-timeout-seconds");
    public static final Setting BODY_TIMEOUT_MS = new Setting("distributor.body-timeout-ms");
    public static final Setting MAX_CONNECTIONS = new Setting("distributor.max-connections");
    public static final Setting PROTECT_READS = new Setting("distributor.auth.protect-reads");
    public static final Setting TLS_CERT_FILE = new Setting("distributor.tls.cert-file");
    public static final Setting TLS_KEY_FILE = new Setting("distributor.tls.key-file");
    public static final Setting TLS_TRUST_FILE = new Setting("distributor.tls.trust-file");
    public static final Setting INGEST_PARTIAL = new Setting("distributor.ingest-partial");
    public static final Setting LINES_PARTIAL = new Setting("distributor.lines.partial");
    public static final Setting LINES_TIMESTAMP_FIELDS = new Setting("distributor.lines.timestamp-fields");
    public static final Setting LINES_MESSAGE_FIELDS = new Setting("distributor.lines.message-fields");
    public static final Setting LINES_LEVEL_FIELDS = new Setting("distributor.lines.level-fields");
    public static final Setting LINES_SOURCE_FIELDS = new Setting("distributor.lines.source-fields");
    public static final Setting LINES_SERVICE_FIELDS = new Setting("distributor.lines.service-fields");
    public static final Setting LINES_DEFAULT_LEVEL = new Setting("distributor.lines.default-level");

    /** Every setting, so that the environment can override any of them. */
    public static final List<Setting> ALL = List.of(PORT, HOST, MANAGEMENT_PORT, MANAGEMENT_HOST, ANALYZERS, DATA_DIR, OUTAGE_POLICY, TOKEN, BUFFER, DURABILITY,
            KAFKA_BOOTSTRAP, KAFKA_TOPIC_PREFIX, KAFKA_PARTITIONS, KAFKA_REPLICATION, MAX_BODY_BYTES, MAX_MESSAGES, MAX_MESSAGE_CHARS, MAX_ATTRIBUTES, MAX_CHUNK_MESSAGES,
            QUEUE_SIZE, QUEUE_MAX_BYTES, MAX_BATCH, MAX_BATCH_BYTES, LINGER_MS, CONSUMERS, OFFER_TIMEOUT_MS, DELIVERY_RETRIES, RETRY_DELAY_MS, DELIVERY_TIMEOUT_MS,
            CONNECT_TIMEOUT_MS,
            BREAKER_FAILURE_RATE, BREAKER_WINDOW, BREAKER_MINIMUM_CALLS, BREAKER_OPEN_MS, BREAKER_HALF_OPEN_CALLS,
            REPLAY_INTERVAL_MS, REPLAY_BATCH, SPOOL_MAX_BYTES, SPOOL_SEGMENT_BYTES, SPOOL_MIN_FREE_BYTES, SPOOL_CURSOR_INTERVAL_MS, INGEST_WAIT_THREADS, INGEST_WAIT_QUEUE, DEDUPE_WINDOW_SECONDS, DEDUPE_MAX_IDS,
            MAX_JSON_DEPTH, MAX_JSON_STRING_CHARS, MAX_HEADER_BYTES, MAX_INITIAL_LINE_BYTES, IDLE_TIMEOUT_SECONDS, BODY_TIMEOUT_MS,
            MAX_CONNECTIONS, PROTECT_READS, TLS_CERT_FILE, TLS_KEY_FILE, TLS_TRUST_FILE,
            INGEST_PARTIAL, LINES_PARTIAL, LINES_TIMESTAMP_FIELDS, LINES_MESSAGE_FIELDS, LINES_LEVEL_FIELDS,
            LINES_SOURCE_FIELDS, LINES_SERVICE_FIELDS, LINES_DEFAULT_LEVEL);

    /** What a client may send: larger or longer is rejected with a 4xx. */
    public record Limits(int maxBodyBytes, int maxMessagesPerPacket, int maxMessageChars, int maxAttributes,
                         int maxChunkMessages) {
    }

    /**
     * How chunks wait for and travel to their analyzer: the memory queues, the threads an enqueue that must wait runs
     * on and how many such enqueues may wait for one (past that, 503), batching, retries, the deadline of a whole
     * exchange with an analyzer ({@code timeoutMs}: connect, send, wait and read) and, within it, of connecting.
     */
    public record Delivery(int queueSize, long queueMaxBytes, int consumersPerAnalyzer, long offerTimeoutMs,
                           int ingestWaitThreads, int ingestWaitQueue, int retries, long retryDelayMs, int maxBatch,
                           long maxBatchBytes, long lingerMs, int timeoutMs, int connectTimeoutMs) {

        /** How long a connection may take to open: the connect timeout, never past the whole exchange's deadline. */
        public int effectiveConnectTimeoutMs() {
            return Math.min(connectTimeoutMs, timeoutMs);
        }
    }

    /** How each analyzer's circuit breaker judges it; see README for each value. */
    public record Breaker(int failureRatePercent, int window, int minimumCalls, long openMs, int halfOpenCalls) {
    }

    /**
     * How outages are detected (breakers), survived (the spool: its durability, its cap per analyzer, its segments,
     * the free disk it leaves, how far its delivered mark may lag: what a crash delivers twice) and repaired (replay),
     * and duplicates told apart.
     */
    public record Outage(Breaker breaker, long replayIntervalMs, int replayBatch, Durability durability,
                         long spoolMaxBytes, long spoolSegmentBytes, long spoolMinFreeBytes, long spoolCursorIntervalMs,
                         long dedupeWindowSeconds, int dedupeMaxIds) {
    }

    /**
     * When the spool buffer answers 202: {@code write}, once the packet's records reached the OS (survives any crash
     * of the process); {@code fsync}, once a shared fsync covers them (survives power loss); {@code memory}, once its
     * chunks are in the memory queues (a killed process loses those; only what overflows or fails is written).
     */
    public enum Durability { WRITE, FSYNC, MEMORY }

    /**
     * What guards the HTTP server against hostile or broken clients: JSON limits, request-head limits, how long a body
     * may take and a connection may idle, how many connections it keeps, whether reads need the token, TLS, and which
     * certificates https analyzers are trusted by.
     */
    public record Security(int maxJsonDepth, int maxJsonStringChars, int maxHeaderBytes, int maxInitialLineBytes,
                           int idleTimeoutSeconds, int bodyTimeoutMs, int maxConnections, boolean protectReads,
                           Optional<Tls> tls, Optional<Path> analyzerTrust) {
    }

    /** The server's certificate chain and private key, PEM files. */
    public record Tls(Path certFile, Path keyFile) {
    }

    /**
     * {@code DISTRIBUTOR_BUFFER=kafka}: accepted chunks wait in one topic per analyzer ({@code topicPrefix + name}, with
     * {@code partitions} partitions so that replicas share the delivery), consumed by the group {@code topicPrefix +
     * name} that all replicas join. A {@code replicationFactor} of 0 is {@code auto}: the cluster's broker count, at most 3.
     */
    public record Kafka(String bootstrap, String topicPrefix, int partitions, short replicationFactor) {

        public String topic(String analyzer) {
            return topicPrefix + analyzer;
        }
    }

    /**
     * How {@code POST /logs} takes a packet with invalid messages: whole or nothing ({@code partial} false: a 400), or
     * its valid messages with the others refused by index (true); JSON lines by their own default and field names.
     * A request's {@code ?partial=true|false} overrides either default.
     */
    public record Ingest(boolean partial, Lines lines) {
    }

    /**
     * JSON lines and arrays of records on {@code POST /logs}: whether they default to the per-message mode, and which
     * record keys, first found first, give a message its fields; the level of a record that names none.
     */
    public record Lines(boolean partial, List<String> timestampFields, List<String> messageFields,
                        List<String> levelFields, List<String> sourceFields, List<String> serviceFields,
                        dev.logdist.model.Level defaultLevel) {

        public Lines {
            timestampFields = List.copyOf(timestampFields);
            messageFields = List.copyOf(messageFields);
            levelFields = List.copyOf(levelFields);
            sourceFields = List.copyOf(sourceFields);
            serviceFields = List.copyOf(serviceFields);
        }
    }

    /** {@code auto} (0 here): as many copies as the cluster has brokers, at most three; decided when the topics are made. */
    private static short replicationFactor(Reader in) {
        String v = in.required(KAFKA_REPLICATION);
        if (v.equalsIgnoreCase("auto")) {
            return 0;
        }
        if (v.matches("[0-9]{1,2}") && Integer.parseInt(v) >= 1 && Integer.parseInt(v) <= 32) {
            return Short.parseShort(v);
        }
        throw new ConfigException(KAFKA_REPLICATION.label() + ": auto or a whole number from 1 to 32, got '" + v + "'");
    }

    public enum Buffer { SPOOL, KAFKA }

    public enum OutagePolicy { HOLD, FAILOVER }

    /** Reads and validates every setting through {@code lookup}, which answers null for a setting that is not set. */
    public static DistributorConfig from(Function<String, String> lookup) {
        Reader in = new Reader(lookup);
        Optional<Kafka> kafka = Optional.empty();
        if (in.choice(BUFFER, Buffer.class) == Buffer.KAFKA) {
            String bootstrap = in.optional(KAFKA_BOOTSTRAP).orElseThrow(() -> new ConfigException(
                    KAFKA_BOOTSTRAP.label() + ": must be set when " + BUFFER.label() + " is kafka"));
            String prefix = in.required(KAFKA_TOPIC_PREFIX);
            if (!prefix.matches("[A-Za-z0-9._-]+")) {
                throw new ConfigException(KAFKA_TOPIC_PREFIX.label() + ": letters, digits, '.', '_' and '-' only, got '"
                        + prefix + "'");
            }
            kafka = Optional.of(new Kafka(bootstrap, prefix, in.integer(KAFKA_PARTITIONS, 1, 10_000),
                    replicationFactor(in)));
        }
        int maxMessages = in.integer(MAX_MESSAGES, 1, 1_000_000);
        Limits limits = new Limits(
                in.integer(MAX_BODY_BYTES, 1024, 1 << 30),
                maxMessages,
                in.integer(MAX_MESSAGE_CHARS, 1, 16 << 20),
                in.integer(MAX_ATTRIBUTES, 0, 10_000),
                in.integer(MAX_CHUNK_MESSAGES, 1, maxMessages));
        Delivery delivery = new Delivery(
                in.integer(QUEUE_SIZE, 1, 10_000_000),
                in.longValue(QUEUE_MAX_BYTES, 1L << 16, 1L << 40),
                in.integer(CONSUMERS, 1, 256),
                in.integer(OFFER_TIMEOUT_MS, 0, 600_000),
                in.integer(INGEST_WAIT_THREADS, 1, 1000),
                in.integer(INGEST_WAIT_QUEUE, 1, 10_000_000),
                in.integer(DELIVERY_RETRIES, 0, 1000),
                in.integer(RETRY_DELAY_MS, 0, 600_000),
                in.integer(MAX_BATCH, 1, 100_000),
                in.longValue(MAX_BATCH_BYTES, 1024, 1L << 30),
                in.integer(LINGER_MS, 0, 1000),
                in.integer(DELIVERY_TIMEOUT_MS, 100, 600_000),
                in.integer(CONNECT_TIMEOUT_MS, 10, 600_000));
        in.integer(MANAGEMENT_PORT, 0, 65_535);
        in.required(MANAGEMENT_HOST);
        int window = in.integer(BREAKER_WINDOW, 1, 10_000);
        Outage outage = new Outage(
                new Breaker(in.integer(BREAKER_FAILURE_RATE, 1, 100), window,
                        in.integer(BREAKER_MINIMUM_CALLS, 1, window), in.integer(BREAKER_OPEN_MS, 10, 3_600_000),
                        in.integer(BREAKER_HALF_OPEN_CALLS, 1, 1000)),
                in.integer(REPLAY_INTERVAL_MS, 1, 60_000),
                in.integer(REPLAY_BATCH, 1, 100_000),
                in.choice(DURABILITY, Durability.class),
                in.longValue(SPOOL_MAX_BYTES, 1L << 20, 1L << 50),
                in.longValue(SPOOL_SEGMENT_BYTES, 1L << 16, 1L << 31),
                in.longValue(SPOOL_MIN_FREE_BYTES, 0, 1L << 40),
                in.integer(SPOOL_CURSOR_INTERVAL_MS, 0, 60_000),
                in.integer(DEDUPE_WINDOW_SECONDS, 0, 7 * 24 * 3600),
                in.integer(DEDUPE_MAX_IDS, 0, 100_000_000));
        Optional<String> token = in.optional(TOKEN);
        boolean protectReads = in.bool(PROTECT_READS);
        if (protectReads && token.isEmpty()) {
            throw new ConfigException(PROTECT_READS.label() + ": needs " + TOKEN.label() + " to be set");
        }
        Security security = new Security(
                in.integer(MAX_JSON_DEPTH, 4, 1000),
                in.integer(MAX_JSON_STRING_CHARS, limits.maxMessageChars(), 1 << 30),
                in.integer(MAX_HEADER_BYTES, 1024, 1 << 20),
                in.integer(MAX_INITIAL_LINE_BYTES, 256, 1 << 20),
                in.integer(IDLE_TIMEOUT_SECONDS, 0, 86_400),
                in.integer(BODY_TIMEOUT_MS, 100, 3_600_000),
                in.integer(MAX_CONNECTIONS, 1, 1_000_000),
                protectReads,
                in.tls(),
                in.optional(TLS_TRUST_FILE).map(f -> Reader.pem(TLS_TRUST_FILE, f, "CERTIFICATE-----")));
        return new DistributorConfig(
                in.integer(PORT, 0, 65_535),
                in.required(HOST),
                AnalyzerSpec.parseList(in.raw(ANALYZERS), ANALYZERS.label()),
                Path.of(in.required(DATA_DIR)),
                in.choice(OUTAGE_POLICY, OutagePolicy.class),
                token,
                limits,
                delivery,
                outage,
                security,
                kafka,
                ingest(in));
    }

    private static Ingest ingest(Reader in) {
        String level = in.required(LINES_DEFAULT_LEVEL);
        dev.logdist.model.Level defaultLevel = dev.logdist.model.Level.parse(level);
        if (defaultLevel == null) {
            throw new ConfigException(LINES_DEFAULT_LEVEL.label() + ": must be one of TRACE, DEBUG, INFO, WARN, ERROR,"
                    + " FATAL, got '" + level + "'");
        }
        Lines lines = new Lines(in.bool(LINES_PARTIAL), in.names(LINES_TIMESTAMP_FIELDS), in.names(LINES_MESSAGE_FIELDS),
                in.names(LINES_LEVEL_FIELDS), in.names(LINES_SOURCE_FIELDS), in.names(LINES_SERVICE_FIELDS), defaultLevel);
        java.util.Map<String, Setting> claimed = new java.util.HashMap<>();
        for (Setting s : List.of(LINES_TIMESTAMP_FIELDS, LINES_MESSAGE_FIELDS, LINES_LEVEL_FIELDS, LINES_SOURCE_FIELDS,
                LINES_SERVICE_FIELDS)) {
            for (String name : in.names(s)) {
                Setting other = claimed.putIfAbsent(name, s);
                if (other != null && other != s) {
                    throw new ConfigException(s.label() + ": '" + name + "' is already one of " + other.label());
                }
            }
        }
        return new Ingest(in.bool(INGEST_PARTIAL), lines);
    }

    /** Reads one setting at a time and turns a bad value into a one-line {@link ConfigException}. */
    private record Reader(Function<String, String> lookup) {

        String raw(Setting s) {
            String v = lookup.apply(s.key());
            return v == null ? null : v.trim();
        }

        String required(Setting s) {
            String v = raw(s);
            if (v == null || v.isEmpty()) {
                throw new ConfigException(s.label() + ": must be set");
            }
            return v;
        }

        Optional<String> optional(Setting s) {
            String v = raw(s);
            return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
        }

        int integer(Setting s, int min, int max) {
            return (int) longValue(s, min, max);
        }

        long longValue(Setting s, long min, long max) {
            String v = required(s);
            try {
                long n = Long.parseLong(v);
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below with the allowed range
            }
            throw new ConfigException(s.label() + ": must be a whole number from " + min + " to " + max + ", got '" + v + "'");
        }

        /** A comma-separated list of record keys: at least one, none empty, none twice, no spaces or quotes. */
        List<String> names(Setting s) {
            String v = required(s);
            List<String> names = new java.util.ArrayList<>();
            for (String part : v.split(",", -1)) {
                String name = part.trim();
                if (name.isEmpty() || name.length() > 256 || !name.matches("[^\\s\"]+")) {
                    throw new ConfigException(s.label() + ": must be a comma-separated list of record keys (1 to 256"
                            + " characters, no spaces or quotes), got '" + v + "'");
                }
                if (names.contains(name)) {
                    throw new ConfigException(s.label() + ": names '" + name + "' twice");
                }
                names.add(name);
            }
            return names;
        }

        boolean bool(Setting s) {
            String v = required(s).toLowerCase(Locale.ROOT);
            if (!v.equals("true") && !v.equals("false")) {
                throw new ConfigException(s.label() + ": must be true or false, got '" + v + "'");
            }
            return v.equals("true");
        }

        /** Both PEM files or neither; each must be a readable file of the right PEM kind. */
        Optional<Tls> tls() {
            Optional<String> cert = optional(TLS_CERT_FILE);
            Optional<String> key = optional(TLS_KEY_FILE);
            if (cert.isEmpty() && key.isEmpty()) {
                return Optional.empty();
            }
            if (cert.isEmpty() || key.isEmpty()) {
                Setting missing = cert.isEmpty() ? TLS_CERT_FILE : TLS_KEY_FILE;
                Setting given = cert.isEmpty() ? TLS_KEY_FILE : TLS_CERT_FILE;
                throw new ConfigException(missing.label() + ": must be set too when " + given.label() + " is");
            }
            return Optional.of(new Tls(pem(TLS_CERT_FILE, cert.get(), "CERTIFICATE-----"),
                    pem(TLS_KEY_FILE, key.get(), "PRIVATE KEY-----")));
        }

        private static Path pem(Setting s, String file, String marker) {
            Path path = Path.of(file);
            try {
                String text = java.nio.file.Files.readString(path, java.nio.charset.StandardCharsets.ISO_8859_1);
                if (text.contains("-----BEGIN ") && text.contains(marker)) {
                    return path;
                }
            } catch (java.io.IOException e) {
                throw new ConfigException(s.label() + ": cannot read '" + file + "': " + e.getClass().getSimpleName());
            }
            throw new ConfigException(s.label() + ": '" + file + "' is not a PEM file with a " + marker.replace("-----", ""));
        }

        <E extends Enum<E>> E choice(Setting s, Class<E> type) {
            String v = required(s);
            for (E e : type.getEnumConstants()) {
                if (e.name().equalsIgnoreCase(v)) {
                    return e;
                }
            }
            String allowed = java.util.Arrays.stream(type.getEnumConstants())
                    .map(e -> e.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
            throw new ConfigException(s.label() + ": must be one of " + allowed + ", got '" + v + "'");
        }
    }

    /** The environment's overrides of known settings, as property key to value. */
    public static Map<String, String> environmentOverrides(Map<String, String> env) {
        return ALL.stream()
                .filter(s -> env.get(s.envName()) != null)
                .collect(Collectors.toMap(Setting::key, s -> env.get(s.envName())));
    }
}
