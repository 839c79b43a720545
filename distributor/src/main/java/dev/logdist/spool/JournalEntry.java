package dev.logdist.spool;

import dev.logdist.model.Chunk;

/** One journal record given back for replay: its sequence number (to pass to {@link Journal#done}) and its chunk. */
public record JournalEntry(long seq, Chunk chunk) {
}
