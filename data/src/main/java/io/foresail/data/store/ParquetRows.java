package io.foresail.data.store;

import io.foresail.core.error.ForesailException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
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
 * no wall-clock metadata, so equal rows give equal bytes.
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
