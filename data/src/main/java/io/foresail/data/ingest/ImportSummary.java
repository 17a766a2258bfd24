package io.foresail.data.ingest;

import java.util.SortedMap;

/**
 * What an import did. {@code sources}: files read, or pages fetched. {@code outsideSession} rows lay before the open or after the close of a
 * regular session (pre- and post-market bars): the bar store holds the regular session only, so
 * they are counted here and not stored. Every other row read is stored, valid or not: validation
 * decides.
 */
public record ImportSummary(int sources, long rowsRead, long rowsStored, long outsideSession,
                            SortedMap<String, Long> rowsPerSymbol) {
}
