package dev.logdist.config;

/** A setting that cannot be used; the message names the setting and says what is wrong, on one line. */
public final class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }
}
