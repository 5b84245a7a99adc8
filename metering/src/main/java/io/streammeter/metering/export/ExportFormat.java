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
import java.util.LinkedHashMap;
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
                rows.write(neutralised(row));
            }

            @Override
            public void close() throws IOException {
                rows.close();
                out.flush();
            }
        };
    }

    /**
     * Client-supplied text (user, tags, model) must not run as a formula when a spreadsheet opens
     * the file: a cell starting with {@code = + - @}, a tab or a carriage return gets a leading
     * apostrophe, as OWASP advises for CSV injection. Numbers are written as numbers, untouched.
     */
    static Map<String, Object> neutralised(Map<String, Object> row) {
        Map<String, Object> safe = null;
        for (Map.Entry<String, Object> cell : row.entrySet()) {
            if (cell.getValue() instanceof String text && formula(text)) {
                if (safe == null) {
                    safe = new LinkedHashMap<>(row);
                }
                safe.put(cell.getKey(), "'" + text);
            }
        }
        return safe == null ? row : safe;
    }

    private static boolean formula(String text) {
        if (text.isEmpty()) {
            return false;
        }
        char first = text.charAt(0);
        return first == '='
                || first == '+'
                || first == '-'
                || first == '@'
                || first == '\t'
                || first == '\r';
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
