package io.foresail.data.alpaca;

import io.foresail.alpaca.rest.AlpacaBarsClient;
import io.foresail.alpaca.rest.BarPage;

import io.foresail.core.market.Bar;
import io.foresail.core.market.Timeframe;
import io.foresail.core.market.TradingCalendar;
import io.foresail.core.progress.Progress;
import io.foresail.data.ingest.ImportSummary;
import io.foresail.data.ingest.SessionFilter;
import io.foresail.data.store.Adjustment;
import io.foresail.data.store.BarSeries;
import io.foresail.data.store.BarStore;
import io.foresail.data.store.BarStoreWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports Alpaca historical bars into a bar store, resumably. Each symbol resumes after its last
 * stored bar; symbols with the same resume point share multi-symbol requests. After every page
 * the touched symbols' files and the manifest are rewritten atomically, so a failure (a malformed
 * page, an exhausted retry budget) leaves every page before it stored and the store consistent;
 * running the same import again continues from there.
 */
public final class AlpacaBarImporter {
    private static final Logger LOG = LoggerFactory.getLogger(AlpacaBarImporter.class);
    /** Alpaca's maximum page size (the limit counts bars across all symbols). */
    public static final int PAGE_LIMIT = 10_000;

    private final AlpacaBarsClient client;
    private final TradingCalendar calendar;
    private final int pageLimit;

    public AlpacaBarImporter(AlpacaBarsClient client, TradingCalendar calendar, int pageLimit) {
        this.client = client;
        this.calendar = calendar;
        this.pageLimit = pageLimit;
    }

    /** Import request: symbols, timeframe, dates (inclusive, exchange-local), {@code iex} or {@code sip}, adjustment. */
    public record Request(List<String> symbols, Timeframe timeframe, LocalDate start, LocalDate end, String feed,
                          Adjustment adjustment) {
    }

    public ImportSummary run(Path out, Request request, Progress progress) {
        Map<String, String> provenance = new TreeMap<>();
        provenance.put("source", "alpaca");
        provenance.put("feed", request.feed());
        BarStoreWriter writer = BarStoreWriter.createOrAppend(out, calendar.name(), request.timeframe(),
                request.adjustment(), provenance);
        Map<String, BarSeries.Builder> series = new LinkedHashMap<>();
        Map<String, Long> lastStored = new TreeMap<>();
        if (BarStore.exists(out)) {
            BarStore existing = BarStore.open(out);
            for (String symbol : existing.symbols()) {
                BarSeries s = existing.read(symbol);
                series.put(symbol, s.toBuilder());
                if (!s.isEmpty()) {
                    lastStored.put(symbol, s.tsMicros(s.size() - 1));
                }
            }
        }
        Instant start = request.start().atStartOfDay(calendar.zone()).toInstant();
        Instant end = request.end().plusDays(1).atStartOfDay(calendar.zone()).toInstant();
        // Group symbols by where they resume.
        Map<Instant, List<String>> groups = new TreeMap<>();
        for (String symbol : request.symbols()) {
            Instant from = start;
            Long last = lastStored.get(symbol);
            if (last != null) {
                Instant after = Instant.EPOCH.plusNanos((last + 1) * 1000L);
                from = after.isAfter(from) ? after : from;
            }
            if (from.isBefore(end)) {
                groups.computeIfAbsent(from, k -> new ArrayList<>()).add(symbol);
            }
        }
        SessionFilter filter = new SessionFilter(calendar, request.timeframe(), calendar.zone());
        long read = 0;
        long stored = 0;
        long outside = 0;
        long pages = 0;
        for (Map.Entry<Instant, List<String>> group : groups.entrySet()) {
            String token = null;
            do {
                BarPage page = client.fetch(group.getValue(), request.timeframe(), group.getKey(), end,
                        request.feed(), request.adjustment().wireName(), pageLimit, token);
                pages++;
                List<String> touched = new ArrayList<>();
                for (Map.Entry<String, List<Bar>> e : page.bars().entrySet()) {
                    BarSeries.Builder b = series.computeIfAbsent(e.getKey(), s -> BarSeries.builder(s, 8192));
                    long last = lastStored.getOrDefault(e.getKey(), Long.MIN_VALUE);
                    for (Bar bar : e.getValue()) {
                        read++;
                        Optional<Instant> aligned = filter.align(bar.start());
                        if (aligned.isEmpty()) {
                            outside++;
                            continue;
                        }
                        Bar a = new Bar(bar.symbol(), aligned.get(), bar.open(), bar.high(), bar.low(), bar.close(),
                                bar.volume(), bar.vwap(), bar.tradeCount());
                        long micros = a.start().getEpochSecond() * 1_000_000L + a.start().getNano() / 1000;
                        if (micros <= last) {
                            continue; // already stored by an earlier run: resuming never duplicates
                        }
                        b.add(a);
                        last = micros;
                        stored++;
                    }
                    lastStored.put(e.getKey(), last);
                    touched.add(e.getKey());
                }
                for (String symbol : touched) {
                    writer.put(series.get(symbol).build());
                }
                writer.commit();
                token = page.nextPageToken();
                progress.update("import", pages, pages + (token == null ? 0 : 1));
                LOG.debug("page {} for {}: {} symbols, next token {}", pages, group.getValue(), touched.size(),
                        token != null);
            } while (token != null);
        }
        BarStore store = writer.commit();
        TreeMap<String, Long> perSymbol = new TreeMap<>();
        store.manifest().symbols().forEach(e -> perSymbol.put(e.symbol(), e.rows()));
        LOG.info("alpaca import into {}: {} pages, {} bars read, {} stored, {} outside the session",
                out, pages, read, stored, outside);
        return new ImportSummary((int) pages, read, stored, outside, perSymbol);
    }
}
