package io.foresail.training.data;

import io.foresail.core.error.ForesailException;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.MessageType;

import java.io.IOException;
import java.nio.file.Path;

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

    public static Part read(Path file) {
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file),
                ParquetReadOptions.builder(new PlainParquetConfiguration()).build())) {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            int rows = Math.toIntExact(reader.getRecordCount());
            int width = schema.getFieldCount() - 2;
            long[] ts = new long[rows];
            double[][] values = new double[width][rows];
            int[] row = {0};
            PrimitiveConverter[] converters = new PrimitiveConverter[schema.getFieldCount()];
            converters[0] = new PrimitiveConverter() {
                @Override
                public void addBinary(org.apache.parquet.io.api.Binary value) {
                }
            };
            converters[1] = new PrimitiveConverter() {
                @Override
                public void addLong(long value) {
                    ts[row[0]] = value;
                }
            };
            for (int k = 0; k < width; k++) {
                double[] col = values[k];
                converters[2 + k] = new PrimitiveConverter() {
                    @Override
                    public void addDouble(double value) {
                        col[row[0]] = value;
                    }
                };
            }
            GroupConverter root = new GroupConverter() {
                @Override
                public Converter getConverter(int fieldIndex) {
                    return converters[fieldIndex];
                }

                @Override
                public void start() {
                }

                @Override
                public void end() {
                    row[0]++;
                }
            };
            RecordMaterializer<Void> materializer = new RecordMaterializer<>() {
                @Override
                public Void getCurrentRecord() {
                    return null;
                }

                @Override
                public GroupConverter getRootConverter() {
                    return root;
                }
            };
            ColumnIOFactory factory = new ColumnIOFactory();
            PageReadStore group;
            while ((group = reader.readNextRowGroup()) != null) {
                RecordReader<Void> records = factory.getColumnIO(schema).getRecordReader(group, materializer);
                for (long i = 0; i < group.getRowCount(); i++) {
                    records.read();
                }
            }
            return new Part(schema, ts, values);
        } catch (IOException e) {
            throw new ForesailException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
