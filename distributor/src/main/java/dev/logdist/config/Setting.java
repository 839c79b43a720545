package dev.logdist.config;

import java.util.Locale;

/** A distributor setting: its property key and the environment variable that overrides it. */
public record Setting(String key) {

    /** The environment variable for this key: {@code distributor.max-chunk-messages} is {@code DISTRIBUTOR_MAX_CHUNK_MESSAGES}. */
    public String envName() {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** How error messages name the setting: both ways a user can give it. */
    public String label() {
        return envName() + " (" + key + ")";
    }
}
