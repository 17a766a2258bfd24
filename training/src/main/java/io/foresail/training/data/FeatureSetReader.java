package io.foresail.training.data;

import io.foresail.core.error.ForesailException;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.MessageType;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a feature-set part back into columns: {@code ts} and every double column in schema order.
 * {@link Dataset} assembles the parts of a set into one training matrix.
 */
public final class FeatureSetReader {
    private FeatureSetReader() {
    }

    /** A part's rows: {@code values[k][row]} for the k-th double column (features then labels). */
    public record Part(MessageType schema, long[] ts, double[][] values) {
        public int rows() {
            return ts.length;
        }

        public double[] column(String name) {
            return values[schema.getFieldIndex(name) - 2];
        }
    }

    /**
     * Reads a part column by column (no record assembly): each column chunk is decoded straight
     * into its array.
     */
    public static Part read(Path file) {
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file),
                ParquetReadOptions.builder(new PlainParquetConfiguration()).build())) {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            String createdBy = reader.getFooter().getFileMetaData().getCreatedBy();
            int rows = Math.toIntExact(reader.getRecordCount());
            int width = schema.getFieldCount() - 2;
            long[] ts = new long[rows];
            double[][] values = new double[width][rows];
            List<ColumnDescriptor> columns = schema.getColumns();
            GroupConverter ignored = new GroupConverter() {
                @Override
                public Converter getConverter(int fieldIndex) {
                    return new PrimitiveConverter() {
                    };
                }

                @Override
                public void start() {
                }

                @Override
                public void end() {
                }
            };
            int at = 0;
            PageReadStore group;
            while ((group = reader.readNextRowGroup()) != null) {
                int n = Math.toIntExact(group.getRowCount());
                ColumnReadStoreImpl store = new ColumnReadStoreImpl(group, ignored, schema, createdBy);
                ColumnReader tsReader = store.getColumnReader(columns.get(1));
                for (int i = 0; i < n; i++) {
                    ts[at + i] = tsReader.getLong();
                    tsReader.consume();
                }
                for (int k = 0; k < width; k++) {
                    ColumnReader c = store.getColumnReader(columns.get(2 + k));
                    double[] col = values[k];
                    for (int i = 0; i < n; i++) {
                        col[at + i] = c.getDouble();
                        c.consume();
                    }
                }
                at += n;
            }
            return new Part(schema, ts, values);
        } catch (IOException e) {
            throw new ForesailException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
