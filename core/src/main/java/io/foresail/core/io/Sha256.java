package io.foresail.core.io;

import io.foresail.core.error.ForesailException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256, the project's one content digest: of bytes, of a file, or incrementally; hex is lower case. */
public final class Sha256 {
    private Sha256() {
    }

    /** A fresh digest to feed incrementally. */
    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    /** The hex of what {@code md} has been fed; the digest is reset. */
    public static String hex(MessageDigest md) {
        return HexFormat.of().formatHex(md.digest());
    }

    /**
     * SHA-256 of a file's bytes, read in 64 KiB blocks.
     *
     * @throws ForesailException naming the file when it cannot be read
     */
    public static String ofFile(Path file) {
        try {
            return read(file);
        } catch (IOException e) {
            throw new ForesailException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * As {@link #ofFile}, with the I/O error as it came (a caller that tells a missing file from an
     * unreadable one, such as an artifact's verification, needs the {@link java.nio.file.NoSuchFileException}).
     */
    public static String read(Path file) throws IOException {
        MessageDigest md = digest();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return hex(md);
    }
}
