package io.foresail.backtest.report;

import io.foresail.backtest.analytics.Performance;
import io.foresail.backtest.replay.BacktestResult;
import io.foresail.core.market.BarGrid;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A backtest's tearsheet: one self-contained HTML page (figures, costs, every chart embedded) and
 * the charts as PNG files beside it: equity against the benchmark, the underwater drawdown, monthly
 * returns, the rolling Sharpe ratio, exposure and turnover, and the distribution of daily returns.
 * An in-sample backtest says so at the top of the page and in every chart's title.
 */
public final class Tearsheet {
    /** Sessions in the rolling Sharpe window (about a quarter). */
    static final int ROLLING = 63;

    private Tearsheet() {
    }

    /** Writes {@code tearsheet.html} and {@code charts/*.png} into {@code dir}; returns the chart files by name. */
    public static Map<String, Path> write(Path dir, BacktestResult r, Performance p, BarGrid grid) throws IOException {
        Performance.Daily d = Performance.daily(r, grid);
        int n = d.returns().length;
        String tag = r.label().isEmpty() ? "" : " [" + r.label() + "]";
        List<LocalDate> dates = d.dates();
        java.util.function.DoubleFunction<String> day = i -> dates.get((int) Math.round(i)).toString();

        double[] equity = new double[n];
        double[] bench = new double[n];
        double[] underwater = new double[n];
        double g = 1;
        double peak = 1;
        for (int k = 0; k < n; k++) {
            equity[k] = d.equity()[k] / r.startingCash();
            g *= 1 + d.benchmark()[k];
            bench[k] = g;
            peak = Math.max(peak, equity[k]);
            underwater[k] = equity[k] / peak - 1;
        }
        double[] rolling = new double[n];
        for (int k = 0; k < n; k++) {
            rolling[k] = k + 1 < ROLLING ? Double.NaN
                    : Performance.sharpe(java.util.Arrays.copyOfRange(d.returns(), k + 1 - ROLLING, k + 1));
        }
        double[][] exposure = sessionExposure(r, grid, n);

        Map<String, byte[]> charts = new LinkedHashMap<>();
        charts.put("equity", Chart.lines("Growth of $1: strategy and " + "benchmark" + tag,
                List.of(new Chart.Series(r.source(), equity), new Chart.Series("benchmark", bench)), day, "%.2f", false));
        charts.put("drawdown", Chart.lines("Underwater: fall from the high-water mark" + tag,
                List.of(new Chart.Series("drawdown", underwater)), day, "%.3f", true));
        charts.put("monthly", monthly(d, tag));
        charts.put("rolling_sharpe", Chart.lines("Rolling Sharpe ratio, " + ROLLING + " sessions" + tag,
                List.of(new Chart.Series("Sharpe", rolling)), day, "%.1f", false));
        charts.put("exposure", Chart.lines("Exposure and turnover (fractions of equity)" + tag,
                List.of(new Chart.Series("gross", exposure[0]), new Chart.Series("net", exposure[1]),
                        new Chart.Series("turnover", exposure[2])), day, "%.2f", false));
        charts.put("returns", distribution(d.returns(), tag));

        Path chartDir = dir.resolve("charts");
        Files.createDirectories(chartDir);
        Map<String, Path> files = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : charts.entrySet()) {
            Path f = chartDir.resolve(e.getKey() + ".png");
            Files.write(f, e.getValue());
            files.put(e.getKey(), f);
        }
        Files.writeString(dir.resolve("tearsheet.html"), html(r, p, charts), StandardCharsets.UTF_8);
        return files;
    }

    /** Per session: gross and net exposure at its last bar, and the dollars traded in it, over equity. */
    private static double[][] sessionExposure(BacktestResult r, BarGrid grid, int n) {
        double[][] out = new double[3][n];
        int k = 0;
        double traded = 0;
        for (int t = 0; t < r.bars() && k < n; t++) {
            double e = r.equity()[t];
            traded += e > 0 ? r.traded()[t] / e : 0;
            boolean last = t == r.bars() - 1
                    || grid.sessionIndexOf(grid.indexOf(r.starts()[t + 1])) != grid.sessionIndexOf(grid.indexOf(r.starts()[t]));
            if (last) {
                out[0][k] = e > 0 ? r.gross()[t] / e : 0;
                out[1][k] = e > 0 ? r.net()[t] / e : 0;
                out[2][k] = traded;
                traded = 0;
                k++;
            }
        }
        return out;
    }

    private static byte[] monthly(Performance.Daily d, String tag) {
        int first = d.dates().get(0).getYear();
        int last = d.dates().get(d.dates().size() - 1).getYear();
        double[][] growth = new double[last - first + 1][12];
        for (double[] row : growth) {
            java.util.Arrays.fill(row, Double.NaN);
        }
        for (int k = 0; k < d.returns().length; k++) {
            LocalDate date = d.dates().get(k);
            double[] row = growth[date.getYear() - first];
            int m = date.getMonthValue() - 1;
            row[m] = (Double.isNaN(row[m]) ? 1 : row[m]) * (1 + d.returns()[k]);
        }
        String[] years = new String[growth.length];
        for (int y = 0; y < growth.length; y++) {
            years[y] = Integer.toString(first + y);
            for (int m = 0; m < 12; m++) {
                growth[y][m] -= 1;
            }
        }
        String[] months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
        return Chart.heatmap("Monthly returns" + tag, years, months, growth);
    }

    private static byte[] distribution(double[] r, String tag) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double x : r) {
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        int bins = 30;
        double w = hi > lo ? (hi - lo) / bins : 1;
        double[] counts = new double[bins];
        String[] labels = new String[bins];
        for (double x : r) {
            counts[Math.min(bins - 1, (int) ((x - lo) / w))]++;
        }
        for (int b = 0; b < bins; b++) {
            labels[b] = String.format(Locale.ROOT, "%.2f%%", 100 * (lo + (b + 0.5) * w));
        }
        return Chart.histogram("Daily returns: how many sessions" + tag, counts, labels);
    }

    private static String html(BacktestResult r, Performance p, Map<String, byte[]> charts) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Backtest: ").append(escape(r.source()))
                .append("</title>\n<style>body{font-family:sans-serif;margin:24px;max-width:960px}table{border-collapse:collapse}"
                        + "td{padding:2px 12px;border-bottom:1px solid #eee}td.v{text-align:right;font-family:monospace}"
                        + ".warn{background:#d62728;color:white;padding:8px 12px;font-weight:bold}</style></head><body>\n");
        h.append("<h1>Backtest: ").append(escape(r.source())).append("</h1>\n");
        if (!r.label().isEmpty()) {
            h.append("<p class=\"warn\">").append(escape(r.label()))
                    .append(": the period overlaps the model's training window; these figures are not out of sample.</p>\n");
        }
        h.append("<p>").append(escape(Performance.period(r))).append(" &middot; ").append(String.format(Locale.ROOT,
                "%,d bars, %,d sessions, %,d orders, %,d fills, %,d risk events", r.bars(), p.days(), r.orders(),
                r.fills().size(), r.riskEvents())).append("</p>\n<table>\n");
        for (Map.Entry<String, Double> e : p.figures().entrySet()) {
            double v = e.getValue();
            h.append("<tr><td>").append(e.getKey().replace('_', ' ')).append("</td><td class=\"v\">")
                    .append(Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, Math.abs(v) >= 1000 ? "%,.0f" : "%.4f", v))
                    .append(r.label().isEmpty() ? "" : " (" + escape(r.label()) + ")").append("</td></tr>\n");
        }
        h.append("</table>\n");
        for (Map.Entry<String, byte[]> e : charts.entrySet()) {
            h.append("<h2>").append(e.getKey().replace('_', ' ')).append("</h2>\n<img alt=\"").append(e.getKey())
                    .append("\" src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(e.getValue()))
                    .append("\">\n");
        }
        return h.append("</body></html>\n").toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** The chart names, in page order. */
    public static List<String> charts() {
        return new ArrayList<>(List.of("equity", "drawdown", "monthly", "rolling_sharpe", "exposure", "returns"));
    }
}
