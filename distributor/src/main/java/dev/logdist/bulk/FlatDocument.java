package dev.logdist.bulk;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.logdist.ingest.FlatObject;
import dev.logdist.validation.Timestamps;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * Maps a flat bulk document (every value a string, an integer, a boolean or null: the shape of nearly every
 * shipper's documents) onto a native message in one streaming pass, without building a tree. Anything else gives
 * up ({@code null}) and goes to {@link DocumentMapper}, which reads the tree, decides and says why: nested objects,
 * arrays, fractions, a timestamp that is not ISO-8601 with an offset, a field named twice, anything it would refuse,
 * anything that is not one JSON object. For every document it maps, the answer is {@link DocumentMapper}'s.
 */
final class FlatDocument {

    private final JsonFactory json;
    private final int maxAttributes;

    FlatDocument(int maxStringChars, int maxAttributes) {
        // no duplicate detection by Jackson (a hash set per document): a repeated name is found below and given up on
        this.json = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
                .maxStringLength(maxStringChars).build()).build();
        this.maxAttributes = maxAttributes;
    }

    /** The message of the document in {@code body[start, start + length)}, or null when this cannot tell. */
    DocumentMapper.Mapped map(byte[] body, int start, int length, String receivedAt) {
        FlatObject doc = FlatObject.read(json, body, start, length);
        return doc == null ? null : new Fields(doc).mapped(receivedAt, maxAttributes);
    }

    /** A flat document's fields, and which of them a message field took (they are no attributes). */
    private static final class Fields {
        private final FlatObject doc;
        private final boolean[] used;

        Fields(FlatObject doc) {
            this.doc = doc;
            this.used = new boolean[doc.size()];
        }

        /** The field's index, marked used (it leaves the attributes), or -1. */
        private int take(String name) {
            int i = doc.indexOf(name);
            if (i >= 0) {
                used[i] = true;
            }
            return i;
        }

        /** DocumentMapper's rules, in its order, on a document known to be flat; null where it would refuse or convert. */
        DocumentMapper.Mapped mapped(String receivedAt, int maxAttributes) {
            String timestamp = receivedAt;
            int time = take("@timestamp");
            if (time >= 0 && doc.value(time) != null) {
                timestamp = timestamp(time);
                if (timestamp == null) {
                    return null;
                }
            }
            int message = take("message");
            if (message < 0) {
                int log = doc.indexOf("log");
                message = log >= 0 && doc.isString(log) ? take("log") : -1;
            }
            if (message < 0 || doc.value(message) == null) {
                return null;
            }
            String rawLevel = named("log.level", null);
            if (rawLevel == null) {
                int level = take("level");
                rawLevel = level < 0 ? null : doc.value(level);
            }
            String level = rawLevel == null ? "INFO" : EsLevels.of(rawLevel);
            if (level == null) {
                return null;
            }
            String source = named("host.name", "host");
            String service = named("service.name", "service");
            DocumentAttributes attributes = new DocumentAttributes(maxAttributes);
            for (int i = 0; i < doc.size(); i++) {
                if (!used[i] && doc.value(i) != null) {
                    attributes.add(doc.key(i), doc.value(i));
                }
            }
            return new DocumentMapper.Mapped(timestamp, level, doc.value(message), source, service, attributes.result(),
                    null, null);
        }

        /** A flat {@code a.b} field (taken whatever its value), else a plain string {@code a} when given (taken if used). */
        private String named(String flat, String plain) {
            int f = take(flat);
            if (f >= 0 && doc.value(f) != null) {
                return doc.value(f);
            }
            int p = plain == null ? -1 : doc.indexOf(plain);
            if (p >= 0 && doc.isString(p)) {
                used[p] = true;
                return doc.value(p);
            }
            return null;
        }

        /** An ISO-8601 date-time with an offset as it is, epoch milliseconds as ISO; anything else for the tree. */
        private String timestamp(int i) {
            if (doc.isInteger(i)) {
                return DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(doc.integer(i)));
            }
            return doc.isString(i) && Timestamps.valid(doc.value(i)) ? doc.value(i) : null;
        }
    }
}
