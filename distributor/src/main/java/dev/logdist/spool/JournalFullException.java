package dev.logdist.spool;

import java.io.IOException;

/** An append refused before anything was written: the disk's free-space reserve or the pending-bytes cap is reached. */
public final class JournalFullException extends IOException {

    private static final long serialVersionUID = 1L;

    public JournalFullException(String message) {
        super(message);
    }
}
