package io.foresail.training.data;

import io.foresail.core.error.ForesailException;
import io.foresail.core.error.InvalidInputException;
import org.apache.arrow.dataset.file.FileFormat;
import org.apache.arrow.dataset.file.FileSystemDatasetFactory;
import org.apache.arrow.dataset.jni.NativeMemoryPool;
import org.apache.arrow.dataset.scanner.ScanOptions;
import org.apache.arrow.dataset.scanner.Scanner;
import org.apache.arrow.dataset.source.DatasetFactory;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a feature-set part (docs/architecture.md "Feature set": {@code symbol}, {@code ts} in epoch
 * microseconds UTC, then one double column per feature and label) through Apache Arrow: the
 * Parquet file is decoded by Arrow's native dataset scanner into Arrow record batches, whose
 * column buffers are copied in bulk into contiguous Java arrays. {@link Dataset} assembles the
 * parts of a set into one training matrix.
 *
 * <p>Every native resource (allocator, dataset, scanner, batch reader) is closed before a read
 * returns, also when it fails.
 */
public final class FeatureSetReader {
    /** Rows per Arrow batch: large batches, few JNI crossings. */
    private static final long BATCH_ROWS = 1 << 16;
    /** Shared by every read; children are per read so a leak names the file it came from. */
    private static final BufferAllocator ROOT = new RootAllocator();

    private FeatureSetReader() {
    }

    /**
     * A part's rows: {@code values[k][row]} for the k-th value column (features then labels, in
     * file order), named by {@code columns}.
     */
    public record Part(List<String> columns, long[] ts, double[][] values) {
        public int rows() {
            return ts.length;
        }

        public double[] column(String name) {
            int k = columns.indexOf(name);
            if (k < 0) {
                throw new IllegalArgumentException("no column " + name);
            }
            return values[k];
        }
    }

    /**
     * Reads a part.
     *
     * @throws InvalidInputException when the file does not have the feature-set layout, or has a
     *                               null where the layout allows none
     * @throws ForesailException     when the file cannot be read
     */
    public static Part read(Path file) {
        String uri = file.toAbsolutePath().toUri().toString();
        try (BufferAllocator allocator = ROOT.newChildAllocator("read " + file.getFileName(), 0, Long.MAX_VALUE);
             DatasetFactory factory = new FileSystemDatasetFactory(allocator, NativeMemoryPool.getDefault(),
                     FileFormat.PARQUET, uri)) {
            Schema schema = factory.inspect();
            List<Field> fields = schema.getFields();
            if (fields.size() < 3 || !fields.get(0).getName().equals("symbol") || !fields.get(1).getName().equals("ts")) {
                throw new InvalidInputException(file + " is not a feature-set part: its columns are "
                        + fields.stream().map(Field::getName).limit(5).toList() + "..., expected symbol, ts, features...");
            }
            List<String> columns = fields.subList(2, fields.size()).stream().map(Field::getName).toList();
            try (org.apache.arrow.dataset.source.Dataset dataset = factory.finish();
                 Scanner scanner = dataset.newScan(new ScanOptions(BATCH_ROWS));
                 ArrowReader reader = scanner.scanBatches()) {
                return decode(file, reader, columns);
            }
        } catch (ForesailException e) {
            throw e;
        } catch (Exception e) {
            throw new ForesailException("cannot read " + file + " through Arrow: " + e.getMessage(), e);
        }
    }

    private static Part decode(Path file, ArrowReader reader, List<String> columns) throws java.io.IOException {
        int width = columns.size();
        // Batches are appended to growing arrays: the row count is only known once every batch is in.
        long[] ts = new long[0];
        double[][] values = new double[width][0];
        int at = 0;
        while (reader.loadNextBatch()) {
            VectorSchemaRoot batch = reader.getVectorSchemaRoot();
            int n = batch.getRowCount();
            if (at + n > ts.length) {
                int capacity = Math.max(at + n, ts.length * 2);
                ts = java.util.Arrays.copyOf(ts, capacity);
                for (int k = 0; k < width; k++) {
                    values[k] = java.util.Arrays.copyOf(values[k], capacity);
                }
            }
            FieldVector time = batch.getVector(1);
            if (time.getNullCount() > 0 || !(time instanceof TimeStampVector || time instanceof BigIntVector)) {
                throw new InvalidInputException(file + ": column ts must be a non-null 64-bit timestamp, found "
                        + time.getField().getType() + " with " + time.getNullCount() + " nulls");
            }
            copyLongs(time.getDataBuffer(), ts, at, n);
            for (int k = 0; k < width; k++) {
                FieldVector v = batch.getVector(2 + k);
                if (!(v instanceof Float8Vector doubles)) {
                    throw new InvalidInputException(file + ": column " + columns.get(k) + " must be double, found "
                            + v.getField().getType());
                }
                if (doubles.getNullCount() > 0) {
                    // The layout stores a missing value as NaN, never as null: a null means another writer.
                    throw new InvalidInputException(file + ": column " + columns.get(k) + " has "
                            + doubles.getNullCount() + " nulls in rows " + at + ".." + (at + n - 1)
                            + "; feature sets store a missing value as NaN");
                }
                copyDoubles(doubles.getDataBuffer(), values[k], at, n);
            }
            at += n;
        }
        if (at < ts.length) {
            ts = java.util.Arrays.copyOf(ts, at);
            for (int k = 0; k < width; k++) {
                values[k] = java.util.Arrays.copyOf(values[k], at);
            }
        }
        return new Part(columns, ts, values);
    }

    private static void copyLongs(ArrowBuf buf, long[] dst, int at, int n) {
        buf.nioBuffer(0, n * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(dst, at, n);
    }

    private static void copyDoubles(ArrowBuf buf, double[] dst, int at, int n) {
        buf.nioBuffer(0, n * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(dst, at, n);
    }
}
