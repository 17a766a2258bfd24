package io.foresail.training.report;

import io.foresail.core.error.ForesailException;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Bar charts of training results as PNG files, drawn with Java2D in headless mode (no display, no
 * plotting library): grouped bars per category (per-fold rank IC of each model) and horizontal
 * bars (feature importance). NaN values are drawn as no bar. The same values give the same bytes.
 */
public final class BarChart {
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
            new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f)};
    private static final Color AXIS = new Color(0x333333);
    private static final Color GRID = new Color(0xdddddd);

    private BarChart() {
    }

    /**
     * Grouped vertical bars: one group per category, one bar per series, a legend, and a zero line.
     *
     * @param series name → one value per category
     */
    public static void grouped(Path file, String title, String yLabel, List<String> categories,
                               Map<String, double[]> series) {
        int width = Math.max(640, 120 + categories.size() * (series.size() * 22 + 24));
        int height = 420;
        int left = 80;
        int right = 20;
        int top = 50;
        int bottom = 70;
        BufferedImage im = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(im);
        double lo = 0;
        double hi = 0;
        for (double[] v : series.values()) {
            for (double x : v) {
                if (Double.isFinite(x)) {
                    lo = Math.min(lo, x);
                    hi = Math.max(hi, x);
                }
            }
        }
        if (hi - lo == 0) {
            hi = 1;
        }
        double pad = (hi - lo) * 0.1;
        hi += pad;
        lo -= lo < 0 ? pad : 0;
        int plotH = height - top - bottom;
        double yLo = lo;
        double yHi = hi;
        double span = hi - lo;
        java.util.function.DoubleToIntFunction y = v -> top + (int) Math.round((yHi - v) / span * plotH);
        title(g, title, width);
        // Grid and ticks at round steps (1, 2 or 5 times a power of ten), about five of them.
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        double raw = span / 5;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = raw / magnitude < 1.5 ? magnitude : raw / magnitude < 3.5 ? 2 * magnitude : 5 * magnitude;
        int decimals = Math.max(0, (int) -Math.floor(Math.log10(step)));
        for (double v = Math.ceil(yLo / step) * step; v <= yHi + step * 1e-9; v += step) {
            int py = y.applyAsInt(v);
            g.setColor(GRID);
            g.drawLine(left, py, width - right, py);
            g.setColor(AXIS);
            String s = String.format(Locale.ROOT, "%." + decimals + "f", Math.abs(v) < step * 1e-9 ? 0.0 : v);
            g.drawString(s, left - 6 - g.getFontMetrics().stringWidth(s), py + 4);
        }
        g.setColor(AXIS);
        g.setStroke(new BasicStroke(1.5f));
        g.drawLine(left, y.applyAsInt(0), width - right, y.applyAsInt(0));
        int groupW = (width - left - right) / Math.max(1, categories.size());
        int barW = Math.max(4, Math.min(22, (groupW - 16) / Math.max(1, series.size())));
        int c = 0;
        for (String category : categories) {
            int gx = left + c * groupW + (groupW - barW * series.size()) / 2;
            int s = 0;
            for (double[] values : series.values()) {
                double v = values[c];
                if (Double.isFinite(v)) {
                    int y0 = y.applyAsInt(0);
                    int y1 = y.applyAsInt(v);
                    g.setColor(PALETTE[s % PALETTE.length]);
                    g.fillRect(gx + s * barW, Math.min(y0, y1), barW - 2, Math.max(1, Math.abs(y1 - y0)));
                }
                s++;
            }
            g.setColor(AXIS);
            FontMetrics fm = g.getFontMetrics();
            g.drawString(category, left + c * groupW + (groupW - fm.stringWidth(category)) / 2, height - bottom + 18);
            c++;
        }
        // Legend under the axis.
        int lx = left;
        int ly = height - 22;
        int s = 0;
        for (String name : series.keySet()) {
            g.setColor(PALETTE[s++ % PALETTE.length]);
            g.fillRect(lx, ly - 10, 12, 12);
            g.setColor(AXIS);
            g.drawString(name, lx + 16, ly);
            lx += 16 + g.getFontMetrics().stringWidth(name) + 18;
        }
        verticalLabel(g, yLabel, 18, top + plotH / 2);
        write(im, g, file);
    }

    /** Horizontal bars, largest first as given: labels on the left, values printed at each bar's end. */
    public static void horizontal(Path file, String title, Map<String, Double> values) {
        Map<String, Double> v = new LinkedHashMap<>(values);
        int row = 22;
        int top = 50;
        int height = top + 20 + Math.max(1, v.size()) * row;
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D pg = canvas(probe);
        pg.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int labelW = v.keySet().stream().mapToInt(pg.getFontMetrics()::stringWidth).max().orElse(50);
        pg.dispose();
        int left = labelW + 20;
        int width = left + 420;
        BufferedImage im = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(im);
        title(g, title, width);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        double max = v.values().stream().filter(Double::isFinite).mapToDouble(Math::abs).max().orElse(1);
        max = max == 0 ? 1 : max;
        int barMax = width - left - 80;
        int i = 0;
        for (Map.Entry<String, Double> e : v.entrySet()) {
            int py = top + i * row;
            g.setColor(AXIS);
            g.drawString(e.getKey(), left - 10 - g.getFontMetrics().stringWidth(e.getKey()), py + 15);
            double x = e.getValue();
            if (Double.isFinite(x)) {
                int w = (int) Math.round(Math.abs(x) / max * barMax);
                g.setColor(PALETTE[0]);
                g.fillRect(left, py + 4, Math.max(1, w), row - 6);
                g.setColor(AXIS);
                g.drawString(String.format(Locale.ROOT, "%.3f", x), left + w + 6, py + 15);
            }
            i++;
        }
        write(im, g, file);
    }

    private static Graphics2D canvas(BufferedImage im) {
        Graphics2D g = im.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, im.getWidth(), im.getHeight());
        return g;
    }

    private static void title(Graphics2D g, String title, int width) {
        g.setColor(AXIS);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, (width - g.getFontMetrics().stringWidth(title)) / 2, 28);
    }

    private static void verticalLabel(Graphics2D g, String label, int x, int y) {
        Graphics2D r = (Graphics2D) g.create();
        r.setColor(AXIS);
        r.rotate(-Math.PI / 2, x, y);
        r.drawString(label, x - r.getFontMetrics().stringWidth(label) / 2, y);
        r.dispose();
    }

    private static void write(BufferedImage im, Graphics2D g, Path file) {
        g.dispose();
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (!ImageIO.write(im, "png", file.toFile())) {
                throw new ForesailException("no PNG writer in this JVM for " + file);
            }
        } catch (IOException e) {
            throw new ForesailException("cannot write chart " + file + ": " + e.getMessage(), e);
        }
    }
}
