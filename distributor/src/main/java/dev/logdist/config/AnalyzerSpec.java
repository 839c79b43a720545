package dev.logdist.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** One analyzer as configured: a unique name, a relative weight greater than zero and an http(s) URL. */
public record AnalyzerSpec(String name, double weight, URI url) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    /** Parses the {@code name@weight=url,...} list; {@code setting} names the setting in error messages. */
    public static List<AnalyzerSpec> parseList(String value, String setting) {
        if (value == null || value.isBlank()) {
            throw new ConfigException(setting + ": at least one analyzer is required, as name@weight=url[,...]");
        }
        List<AnalyzerSpec> specs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String raw : value.split(",")) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            AnalyzerSpec spec = parseOne(entry, setting);
            if (!names.add(spec.name())) {
                throw new ConfigException(setting + ": analyzer name '" + spec.name() + "' is used twice");
            }
            specs.add(spec);
        }
        if (specs.isEmpty()) {
            throw new ConfigException(setting + ": at least one analyzer is required, as name@weight=url[,...]");
        }
        return List.copyOf(specs);
    }

    private static AnalyzerSpec parseOne(String entry, String setting) {
        int at = entry.indexOf('@');
        int eq = entry.indexOf('=');
        if (at < 1 || eq < at + 2 || eq == entry.length() - 1) {
            throw new ConfigException(setting + ": '" + entry + "' is not of the form name@weight=url");
        }
        String name = entry.substring(0, at).trim();
        if (!NAME.matcher(name).matches()) {
            throw new ConfigException(setting + ": analyzer name '" + name
                    + "' must be 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit");
        }
        String weightText = entry.substring(at + 1, eq).trim();
        double weight;
        try {
            weight = Double.parseDouble(weightText);
        } catch (NumberFormatException e) {
            throw new ConfigException(setting + ": weight of '" + name + "' must be a number > 0, got '" + weightText + "'");
        }
        if (!(weight > 0) || Double.isInfinite(weight)) {
            throw new ConfigException(setting + ": weight of '" + name + "' must be a number > 0, got " + weightText);
        }
        return new AnalyzerSpec(name, weight, parseUrl(name, entry.substring(eq + 1).trim(), setting));
    }

    private static URI parseUrl(String name, String text, String setting) {
        try {
            URI url = new URI(text);
            String scheme = url.getScheme();
            boolean web = "http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme);
            if (!web || url.getHost() == null || url.getRawQuery() != null || url.getRawFragment() != null) {
                throw new ConfigException(setting + ": URL of '" + name + "' must be http(s)://host[:port][/path] without query, got '" + text + "'");
            }
            return url;
        } catch (URISyntaxException e) {
            throw new ConfigException(setting + ": URL of '" + name + "' is not a valid URL: '" + text + "'");
        }
    }
}
