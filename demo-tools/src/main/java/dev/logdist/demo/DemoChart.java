package dev.logdist.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the demo's chart as one self-contained HTML file (inline SVG, no scripts, nothing to download): each
 * analyzer's actual share of messages over time against its target, and delivered messages per second, with the
 * outage window shaded and, with {@code --crash}, a vertical line where the distributor was killed. Usage:
 * {@code DemoChart SAMPLES_CSV OUT_HTML [OUTAGE_START_S OUTAGE_END_S] [--crash CRASH_S]}.
 */
public final class DemoChart {

    private static final String[] COLOURS = {"#38bdf8", "#f472b6", "#facc15", "#4ade80", "#a78bfa", "#fb923c"};
    private static final int W = 900;
    private static final int H = 260;
    private static final int PAD = 40;

    private DemoChart() {
    }

    public static void main(String[] all) throws IOException {
        List<String> positional = new ArrayList<>();
        Double crash = null;
        for (int i = 0; i < all.length; i++) {
            if (all[i].equals("--crash") && i + 1 < all.length) {
                crash = Double.parseDouble(all[++i]);
            } else {
                positional.add(all[i]);
            }
        }
        String[] args = positional.toArray(new String[0]);
        List<String> lines = Files.readAllLines(Path.of(args[0]));
        Map<String, List<double[]>> shares = new LinkedHashMap<>();
        Map<String, Double> targets = new LinkedHashMap<>();
        Map<Integer, Double> rates = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            int t = Integer.parseInt(f[0]);
            shares.computeIfAbsent(f[1], k -> new ArrayList<>()).add(new double[] {t, Double.parseDouble(f[3])});
            targets.put(f[1], Double.parseDouble(f[2]));
            rates.put(t, Double.parseDouble(f[7]));
        }
        double tMax = Math.max(1, rates.keySet().stream().mapToInt(Integer::intValue).max().orElse(1));
        double rMax = Math.max(1, rates.values().stream().mapToDouble(Double::doubleValue).max().orElse(1));
        double sMax = Math.min(1, Math.max(0.5, targets.values().stream().mapToDouble(Double::doubleValue).max().orElse(0.5) * 1.5));
        StringBuilder svg = new StringBuilder();
        String shade = args.length >= 4 ? shade(Double.parseDouble(args[2]), Double.parseDouble(args[3]), tMax) : "";
        if (crash != null) {
            shade += marker(crash, tMax);
        }

        svg.append(frame("actual share of messages (solid) and target (dashed)", shade));
        int c = 0;
        for (Map.Entry<String, List<double[]>> e : shares.entrySet()) {
            String colour = COLOURS[c++ % COLOURS.length];
            StringBuilder points = new StringBuilder();
            for (double[] p : e.getValue()) {
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(p[0], tMax), y(p[1], sMax)));
            }
            double ty = y(targets.get(e.getKey()), sMax);
            svg.append(String.format(Locale.ROOT, "<polyline points='%s' fill='none' stroke='%s' stroke-width='2'/>", points, colour))
               .append(String.format(Locale.ROOT, "<line x1='%d' x2='%d' y1='%.1f' y2='%.1f' stroke='%s' stroke-dasharray='6 4'/>",
                       PAD, W - PAD, ty, ty, colour))
               .append(String.format(Locale.ROOT, "<text x='%d' y='%.1f' fill='%s' font-size='12'>%s %.0f%%</text>",
                       W - PAD + 4, ty + 4, colour, e.getKey(), 100 * targets.get(e.getKey())));
        }
        svg.append("</svg>");

        svg.append(frame("delivered messages per second", shade));
        StringBuilder points = new StringBuilder(String.format(Locale.ROOT, "%d,%d ", PAD, H - PAD));
        rates.forEach((t, r) -> points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(t, tMax), y(r / rMax, 1))));
        points.append(String.format(Locale.ROOT, "%.1f,%d", x(tMax, tMax), H - PAD));
        svg.append(String.format(Locale.ROOT, "<polygon points='%s' fill='#38bdf8' fill-opacity='0.35' stroke='#38bdf8'/>", points))
           .append(String.format(Locale.ROOT, "<text x='%d' y='%d' fill='#94a3b8' font-size='12'>%,.0f</text>", 4, PAD + 4, rMax))
           .append("</svg>");

        String html = "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Log distributor demo</title></head>"
                + "<body style='background:#0f172a;color:#e2e8f0;font-family:system-ui,sans-serif;margin:20px'>"
                + "<h1 style='font-size:20px'>Log distributor demo</h1><p style='color:#94a3b8'>x: seconds since the load"
                + " started; shaded: analyzer a3 down" + (crash == null ? "" : "; vertical line: the distributor killed"
                + " with kill -9 and started again") + "</p>" + svg + "</body></html>\n";
        Files.writeString(Path.of(args[1]), html);
    }

    private static String frame(String title, String shade) {
        return String.format(Locale.ROOT, "<h2 style='font-size:15px;font-weight:500'>%s</h2><svg width='%d' height='%d'"
                + " viewBox='0 0 %d %d' style='background:#1e293b;border-radius:8px;max-width:100%%'>%s"
                + "<line x1='%d' x2='%d' y1='%d' y2='%d' stroke='#475569'/>", title, W, H, W, H, shade, PAD, W - PAD,
                H - PAD, H - PAD);
    }

    private static String shade(double from, double to, double tMax) {
        return String.format(Locale.ROOT, "<rect x='%.1f' y='%d' width='%.1f' height='%d' fill='#ef4444' fill-opacity='0.15'/>",
                x(from, tMax), PAD / 2, Math.max(1, x(to, tMax) - x(from, tMax)), H - PAD - PAD / 2);
    }

    private static String marker(double at, double tMax) {
        return String.format(Locale.ROOT, "<line x1='%.1f' x2='%.1f' y1='%d' y2='%d' stroke='#f97316' stroke-width='2'/>"
                + "<text x='%.1f' y='%d' fill='#f97316' font-size='12'>kill -9</text>", x(at, tMax), x(at, tMax), PAD / 2,
                H - PAD, x(at, tMax) + 4, PAD / 2 + 12);
    }

    private static double x(double t, double tMax) {
        return PAD + (W - 2.0 * PAD) * t / tMax;
    }

    private static double y(double v, double max) {
        return H - PAD - (H - 1.5 * PAD) * Math.min(1, v / max);
    }
}
