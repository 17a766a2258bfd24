package io.foresail.data.store;

import io.foresail.core.io.Sha256;
import io.foresail.core.error.ForesailException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * SHA-256 fingerprints of bar data. The content hash of a series covers its values, not their
 * Parquet encoding, so it survives a Parquet library upgrade and names the data itself: symbol,
 * then per row the timestamp, the six prices and volume as IEEE-754 bits (one canonical NaN), and
 * the trade count, big-endian.
 */
public final class ContentHash {
    private ContentHash() {
    }

    /** The content hash of one series, lower-case hex. */
    public static String of(BarSeries s) {
        MessageDigest md = Sha256.digest();
        md.update(s.symbol().getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
        ByteBuffer row = ByteBuffer.allocate(72 * 256);
        for (int i = 0; i < s.size(); i++) {
            row.putLong(s.tsMicros(i));
            row.putLong(Double.doubleToLongBits(s.open(i)));
            row.putLong(Double.doubleToLongBits(s.high(i)));
            row.putLong(Double.doubleToLongBits(s.low(i)));
            row.putLong(Double.doubleToLongBits(s.close(i)));
            row.putLong(Double.doubleToLongBits(s.volume(i)));
            row.putLong(Double.doubleToLongBits(s.vwap(i)));
            row.putLong(s.tradeCount(i));
            if (!row.hasRemaining() || row.remaining() < 72) {
                md.update(row.array(), 0, row.position());
                row.clear();
            }
        }
        md.update(row.array(), 0, row.position());
        return HexFormat.of().formatHex(md.digest());
    }

    /** Combines per-symbol content hashes (iterated in symbol order) into one store hash. */
    public static String combine(Map<String, String> symbolHashes) {
        MessageDigest md = Sha256.digest();
        symbolHashes.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
                md.update((e.getKey() + ":" + e.getValue() + "\n").getBytes(StandardCharsets.UTF_8)));
        return HexFormat.of().formatHex(md.digest());
    }

}
