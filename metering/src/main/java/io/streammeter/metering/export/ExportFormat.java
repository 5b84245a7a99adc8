package io.streammeter.metering.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Map;

/** The file formats of an export: CSV with a header row, or one JSON object per line. */
public enum ExportFormat {
    CSV,
    JSONL;

    SequenceWriter open(Writer out, List<String> columns) throws IOException {
        return switch (this) {
            case CSV -> {
                CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
                columns.forEach(schema::addColumn);
                // Quote only where CSV needs it, so cells stay easy to diff and to parse.
                yield new CsvMapper()
                        .enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING)
                        .writerFor(Map.class)
                        .with(schema.build())
                        .writeValues(out);
            }
            case JSONL -> new ObjectMapper().writer().withRootValueSeparator("\n").writeValues(out);
        };
    }
}
