package dev.logdist.model;

/**
 * What goes to one analyzer: a packet, or a part of a split one, as JSON ready to send; with its record number in
 * the analyzer's journal once it has one ({@link #NO_SEQ} before, and in buffers that keep no journal).
 */
public record Chunk(String chunkId, int messages, byte[] json, long seq) {

    /** The record number of a chunk not (yet) in a journal. */
    public static final long NO_SEQ = -1;

    public Chunk(String chunkId, int messages, byte[] json) {
        this(chunkId, messages, json, NO_SEQ);
    }

    /** The same chunk as record {@code seq} of its analyzer's journal. */
    public Chunk withSeq(long number) {
        return new Chunk(chunkId, messages, json, number);
    }
}
