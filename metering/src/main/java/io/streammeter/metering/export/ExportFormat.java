package io.streammeter.metering.export;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.Closeable;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Map;

/**
 * The file formats of an export: CSV with a header row, or one JSON object per line. Every row, the
 * last one included, ends with a newline.
 */
public enum ExportFormat {
    CSV,
    JSONL;

    /** Writes rows of one export; closing flushes but leaves the target open. */
    interface RowWriter extends Closeable {
        void write(Map<String, Object> row) throws IOException;
    }

    RowWriter open(Writer out, List<String> columns) throws IOException {
        return switch (this) {
            case CSV -> csv(out, columns);
            case JSONL -> jsonLines(out);
        };
    }

    private static RowWriter csv(Writer out, List<String> columns) throws IOException {
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
        columns.forEach(schema::addColumn);
        // Quote only where CSV needs it, so cells stay easy to diff and to parse.
        SequenceWriter rows =
                new CsvMapper()
                        .enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING)
                        .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                        .writerFor(Map.class)
                        .with(schema.build())
                        .writeValues(out);
        return new RowWriter() {
            @Override
            public void write(Map<String, Object> row) throws IOException {
                rows.write(row);
            }

            @Override
            public void close() throws IOException {
                rows.close();
                out.flush();
            }
        };
    }

    private static RowWriter jsonLines(Writer out) {
        ObjectWriter json = new ObjectMapper().writer();
        return new RowWriter() {
            @Override
            public void write(Map<String, Object> row) throws IOException {
                out.write(json.writeValueAsString(row));
                out.write('\n');
            }

            @Override
            public void close() throws IOException {
                out.flush();
            }
        };
    }
}
