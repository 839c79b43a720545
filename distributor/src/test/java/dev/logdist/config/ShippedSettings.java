package dev.logdist.config;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/** The settings application.properties ships, as a map a test may change before loading a {@link DistributorConfig}. */
public final class ShippedSettings {

    private ShippedSettings() {
    }

    public static Map<String, String> load() throws IOException {
        Properties p = new Properties();
        try (InputStream in = ShippedSettings.class.getResourceAsStream("/application.properties")) {
            p.load(in);
        }
        Map<String, String> settings = new HashMap<>();
        p.stringPropertyNames().forEach(k -> settings.put(k, p.getProperty(k)));
        return settings;
    }
}
