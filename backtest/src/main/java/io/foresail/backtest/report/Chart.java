package io.foresail.backtest.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * A small PNG chart drawn with Java2D (headless): line series over a shared x axis, an optional
 * filled area under zero, bars, or a labelled grid of coloured cells. Enough for a tearsheet
 * without a plotting library. Not thread-safe; one chart per call.
 */
final class Chart {
    static final int WIDTH = 900;
    static final int HEIGHT = 320;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 34;
    private static final int BOTTOM = 40;
    static final Color[] PALETTE = {new Color(0x1f, 0x77, 0xb4), new Color(0x7f, 0x7f, 0x7f), new Color(0xd6, 0x27, 0x28),
        new Color(0x2c, 0xa0, 0x2c)};

    /** One line: its label and y values (NaN: a gap). */
    record Series(String label, double[] y) {
    }

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private Chart() {
    }

    /** Lines over x = 0..n-1, x labels from {@code xLabel} at a few ticks, y formatted by {@code yFormat}. */
    static byte[] lines(String title, List<Series> series, DoubleFunction<String> xLabel, String yFormat, boolean fillFirst) {
        int n = series.get(0).y().length;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (double v : s.y()) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (fillFirst) {
            hi = Math.max(hi, 0);
        }
        if (!(hi > lo)) {
            lo = Double.isFinite(lo) ? lo - 1 : 0;
            hi = lo + 2;
        }
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = frame(img, title);
        axes(g, n, lo, hi, xLabel, yFormat);
        for (int k = series.size() - 1; k >= 0; k--) {
            Series s = series.get(k);
            Path2D.Double path = new Path2D.Double();
            boolean open = false;
            for (int i = 0; i < n; i++) {
                double v = s.y()[i];
                if (!Double.isFinite(v)) {
                    open = false;
                    continue;
                }
                double x = x(i, n);
                double y = y(v, lo, hi);
                if (open) {
                    path.lineTo(x, y);
                } else {
                    path.moveTo(x, y);
                    open = true;
                }
            }
            g.setColor(PALETTE[k % PALETTE.length]);
            if (fillFirst && k == 0) {
                Path2D.Double area = new Path2D.Double(path);
                area.lineTo(x(n - 1, n), y(0, lo, hi));
                area.lineTo(x(0, n), y(0, lo, hi));
                area.closePath();
                g.setColor(new Color(0xd6, 0x27, 0x28, 90));
                g.fill(area);
                g.setColor(new Color(0xd6, 0x27, 0x28));
            }
            g.setStroke(new BasicStroke(k == 0 ? 1.6f : 1.2f));
            g.draw(path);
        }
        legend(g, series);
        return png(img, g);
    }

    /** Vertical bars of {@code counts} over bin centres labelled by {@code labels}. */
    static byte[] histogram(String title, double[] counts, String[] labels) {
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = frame(img, title);
        double hi = 0;
        for (double c : counts) {
            hi = Math.max(hi, c);
        }
        hi = hi == 0 ? 1 : hi;
        int n = counts.length;
        axes(g, n, 0, hi, i -> labels[(int) Math.min(n - 1, Math.max(0, Math.round(i)))], "%.0f");
        double w = (WIDTH - LEFT - RIGHT) / (double) n;
        g.setColor(PALETTE[0]);
        for (int i = 0; i < n; i++) {
            double top = y(counts[i], 0, hi);
            g.fillRect((int) (LEFT + i * w + 1), (int) top, Math.max(1, (int) w - 2), (int) (y(0, 0, hi) - top));
        }
        return png(img, g);
    }

    /** A grid of cells (rows × columns) coloured by sign and size, each printed as a percentage. */
    static byte[] heatmap(String title, String[] rows, String[] columns, double[][] values) {
        BufferedImage img = new BufferedImage(WIDTH, Math.max(HEIGHT / 2, TOP + BOTTOM + 26 * rows.length),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = frame(img, title);
        double max = 1e-12;
        for (double[] r : values) {
            for (double v : r) {
                if (Double.isFinite(v)) {
                    max = Math.max(max, Math.abs(v));
                }
            }
        }
        int cw = (WIDTH - LEFT - RIGHT) / columns.length;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int c = 0; c < columns.length; c++) {
            g.setColor(Color.DARK_GRAY);
            g.drawString(columns[c], LEFT + c * cw + cw / 2 - 10, TOP + 12);
        }
        for (int r = 0; r < rows.length; r++) {
            int y0 = TOP + 20 + r * 26;
            g.setColor(Color.DARK_GRAY);
            g.drawString(rows[r], 10, y0 + 17);
            for (int c = 0; c < columns.length; c++) {
                double v = values[r][c];
                if (!Double.isFinite(v)) {
                    continue;
                }
                float a = (float) Math.min(1, Math.abs(v) / max);
                g.setColor(v >= 0 ? new Color(0.17f, 0.63f, 0.17f, 0.15f + 0.75f * a) : new Color(0.84f, 0.15f, 0.16f,
                        0.15f + 0.75f * a));
                g.fillRect(LEFT + c * cw + 1, y0, cw - 2, 24);
                g.setColor(Color.BLACK);
                g.drawString(String.format(Locale.ROOT, "%.1f%%", 100 * v), LEFT + c * cw + 8, y0 + 16);
            }
        }
        return png(img, g);
    }

    private static Graphics2D frame(BufferedImage img, String title) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, LEFT, 20);
        return g;
    }

    private static void axes(Graphics2D g, int n, double lo, double hi, DoubleFunction<String> xLabel, String yFormat) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.setStroke(new BasicStroke(1f));
        for (int t = 0; t <= 4; t++) {
            double v = lo + (hi - lo) * t / 4;
            int y = (int) y(v, lo, hi);
            g.setColor(new Color(230, 230, 230));
            g.drawLine(LEFT, y, WIDTH - RIGHT, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(Locale.ROOT, yFormat, v), 6, y + 4);
        }
        if (lo < 0 && hi > 0) {
            g.setColor(Color.GRAY);
            g.drawLine(LEFT, (int) y(0, lo, hi), WIDTH - RIGHT, (int) y(0, lo, hi));
        }
        List<Integer> ticks = new ArrayList<>();
        for (int t = 0; t <= 5; t++) {
            ticks.add((int) Math.round((n - 1) * t / 5.0));
        }
        g.setColor(Color.DARK_GRAY);
        for (int i : ticks) {
            String label = xLabel.apply(i);
            int w = g.getFontMetrics().stringWidth(label);
            g.drawString(label, (int) Math.min(x(i, n) - w / 2.0, WIDTH - RIGHT - w), HEIGHT - BOTTOM + 18);
        }
        g.drawRect(LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM);
    }

    private static void legend(Graphics2D g, List<Series> series) {
        int x = WIDTH - RIGHT - 10;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int k = series.size() - 1; k >= 0; k--) {
            String label = series.get(k).label();
            int w = g.getFontMetrics().stringWidth(label) + 26;
            x -= w;
            g.setColor(PALETTE[k % PALETTE.length]);
            g.fillRect(x, 12, 14, 4);
            g.setColor(Color.BLACK);
            g.drawString(label, x + 18, 18);
        }
    }

    private static double x(int i, int n) {
        return LEFT + (WIDTH - LEFT - RIGHT) * (n <= 1 ? 0.5 : i / (double) (n - 1));
    }

    private static double y(double v, double lo, double hi) {
        return TOP + (HEIGHT - TOP - BOTTOM) * (1 - (v - lo) / (hi - lo));
    }

    private static byte[] png(BufferedImage img, Graphics2D g) {
        g.dispose();
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            javax.imageio.ImageIO.write(img, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
