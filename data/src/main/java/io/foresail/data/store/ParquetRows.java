package io.foresail.data.store;

import io.foresail.core.error.ForesailException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.PageEncodingStats;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;

/**
 * Writes a local Parquet file row by row from column arrays, without Hadoop file systems: the
 * caller's {@link RowEmitter} emits row {@code i}'s fields. ZSTD, one row group up to 512 MiB,
 * no wall-clock metadata and a canonical footer, so equal rows give equal bytes in any process.
 */
public final class ParquetRows {
    private ParquetRows() {
    }

    /** Emits one row's fields between {@code startMessage} and {@code endMessage}. */
    @FunctionalInterface
    public interface RowEmitter {
        void emit(int row, RecordConsumer out);
    }

    public static void write(Path file, MessageType schema, Map<String, String> metadata, int rows, RowEmitter emitter) {
        write(file, schema, metadata, rows, emitter, true);
    }

    /**
     * As {@link #write(Path, MessageType, Map, int, RowEmitter)}; {@code dictionary = false} skips
     * dictionary encoding, which only costs time on high-cardinality doubles such as features.
     */
    public static void write(Path file, MessageType schema, Map<String, String> metadata, int rows, RowEmitter emitter,
                             boolean dictionary) {
        try (ParquetWriter<Integer> writer = new Builder(new LocalOutputFile(file), schema, metadata, emitter)
                .withConf(new PlainParquetConfiguration())
                .withDictionaryEncoding(dictionary)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .withCompressionCodec(CompressionCodecName.ZSTD)
                .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
                .withRowGroupSize(512L * 1024 * 1024)
                .build()) {
            for (int i = 0; i < rows; i++) {
                writer.write(i);
            }
        } catch (IOException e) {
            throw new ForesailException("cannot write " + file + ": " + e.getMessage(), e);
        }
        // parquet-mr collects each column's encodings in a HashSet of enums, whose iteration order
        // follows identity hash codes and so differs between processes.
        canonicaliseFooter(file);
    }

    /**
     * Rewrites the footer of a Parquet file with every column chunk's encoding list and encoding
     * statistics in a fixed order (by their Thrift values). The data pages are untouched; only the
     * order of those lists changes. Call only on a file this process has just written.
     */
    static void canonicaliseFooter(Path file) {
        rewriteFooter(file, meta -> {
            boolean reordered = false;
            for (RowGroup group : meta.getRow_groups()) {
                for (ColumnChunk chunk : group.getColumns()) {
                    ColumnMetaData c = chunk.getMeta_data();
                    List<Encoding> encodings = new ArrayList<>(c.getEncodings());
                    encodings.sort(Comparator.comparingInt(Encoding::getValue));
                    if (!encodings.equals(c.getEncodings())) {
                        c.setEncodings(encodings);
                        reordered = true;
                    }
                    if (c.isSetEncoding_stats()) {
                        List<PageEncodingStats> stats = new ArrayList<>(c.getEncoding_stats());
                        stats.sort(Comparator.comparingInt((PageEncodingStats e) -> e.getPage_type().getValue())
                                .thenComparingInt(e -> e.getEncoding().getValue()));
                        if (!stats.equals(c.getEncoding_stats())) {
                            c.setEncoding_stats(stats);
                            reordered = true;
                        }
                    }
                }
            }
            return reordered;
        });
    }

    /** Reads the footer, lets {@code edit} change it (returning whether it did) and writes it back in place. */
    static void rewriteFooter(Path file, java.util.function.Predicate<FileMetaData> edit) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            ByteBuffer tail = read(ch, size - 8, 8).order(ByteOrder.LITTLE_ENDIAN);
            int length = tail.getInt();
            if (tail.get() != 'P' || tail.get() != 'A' || tail.get() != 'R' || tail.get() != '1' || length <= 0 || length > size - 12) {
                throw new ForesailException(file + " does not end in a Parquet footer");
            }
            long start = size - 8 - length;
            FileMetaData meta = Util.readFileMetaData(new ByteArrayInputStream(read(ch, start, length).array()));
            if (!edit.test(meta)) {
                return;
            }
            ByteArrayOutputStream footer = new ByteArrayOutputStream(length);
            Util.writeFileMetaData(meta, footer);
            ByteBuffer out = ByteBuffer.allocate(footer.size() + 8).order(ByteOrder.LITTLE_ENDIAN);
            out.put(footer.toByteArray()).putInt(footer.size()).put(new byte[] {'P', 'A', 'R', '1'}).flip();
            ch.truncate(start);
            while (out.hasRemaining()) {
                ch.write(out, start + out.position());
            }
        } catch (IOException e) {
            throw new ForesailException("cannot rewrite the footer of " + file + ": " + e.getMessage(), e);
        }
    }

    private static ByteBuffer read(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining()) {
            if (ch.read(b, position + b.position()) < 0) {
                throw new IOException("unexpected end of file at " + (position + b.position()));
            }
        }
        return b.flip();
    }

    /** Emits a required or present optional field. */
    public static void field(RecordConsumer out, int index, String name, double value) {
        out.startField(name, index);
        out.addDouble(value);
        out.endField(name, index);
    }

    public static void field(RecordConsumer out, int index, String name, long value) {
        out.startField(name, index);
        out.addLong(value);
        out.endField(name, index);
    }

    public static void field(RecordConsumer out, int index, String name, org.apache.parquet.io.api.Binary value) {
        out.startField(name, index);
        out.addBinary(value);
        out.endField(name, index);
    }

    private static final class Builder extends ParquetWriter.Builder<Integer, Builder> {
        private final MessageType schema;
        private final Map<String, String> metadata;
        private final RowEmitter emitter;

        Builder(OutputFile file, MessageType schema, Map<String, String> metadata, RowEmitter emitter) {
            super(file);
            this.schema = schema;
            this.metadata = metadata;
            this.emitter = emitter;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<Integer> getWriteSupport(org.apache.hadoop.conf.Configuration conf) {
            return new Support(schema, metadata, emitter);
        }

        @Override
        protected WriteSupport<Integer> getWriteSupport(ParquetConfiguration conf) {
            return new Support(schema, metadata, emitter);
        }
    }

    private static final class Support extends WriteSupport<Integer> {
        private final MessageType schema;
        private final Map<String, String> metadata;
        private final RowEmitter emitter;
        private RecordConsumer out;

        Support(MessageType schema, Map<String, String> metadata, RowEmitter emitter) {
            this.schema = schema;
            this.metadata = metadata;
            this.emitter = emitter;
        }

        @Override
        public WriteContext init(org.apache.hadoop.conf.Configuration configuration) {
            return new WriteContext(schema, metadata);
        }

        @Override
        public WriteContext init(ParquetConfiguration configuration) {
            return new WriteContext(schema, metadata);
        }

        @Override
        public String getName() {
            return "foresail";
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            out = recordConsumer;
        }

        @Override
        public void write(Integer row) {
            out.startMessage();
            emitter.emit(row, out);
            out.endMessage();
        }
    }
}
