package dev.logdist.model;

/** What goes to one analyzer: a packet, or a part of a split one, as JSON ready to send. */
public record Chunk(String chunkId, int messages, byte[] json) {
}
