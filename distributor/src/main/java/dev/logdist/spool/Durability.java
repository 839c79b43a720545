package dev.logdist.spool;

/** When an append counts as kept: in the page cache (survives the process) or on the disk (survives the machine). */
public enum Durability {
    /** Append returns once the bytes are in the page cache; {@link Journal#sync()} forces them every second. */
    WRITE,
    /** Append's future completes after an fsync covering its records; one fsync serves every append meanwhile. */
    FSYNC
}
