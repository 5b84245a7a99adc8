package io.streammeter.metering.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExportFormatTest {

    private static Map<String, Object> row(String key, long requests, String note) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("key_id", key);
        row.put("requests", requests);
        row.put("note", note);
        return row;
    }

    private static String write(ExportFormat format) throws Exception {
        var out = new StringWriter();
        try (var rows = format.open(out, List.of("key_id", "requests", "note"))) {
            rows.write(row("k_a", 2, "plain"));
            rows.write(row("k_b", 1, "needs, \"quoting\""));
        }
        return out.toString();
    }

    @Test
    void shouldWriteCsvWithAHeaderQuotingOnlyWhereNeededAndEndingEveryLine() throws Exception {
        assertEquals(
                "key_id,requests,note\nk_a,2,plain\nk_b,1,\"needs, \"\"quoting\"\"\"\n",
                write(ExportFormat.CSV));
    }

    @Test
    void shouldWriteOneJsonObjectPerLineEndingEveryLine() throws Exception {
        assertEquals(
                "{\"key_id\":\"k_a\",\"requests\":2,\"note\":\"plain\"}\n"
                        + "{\"key_id\":\"k_b\",\"requests\":1,\"note\":\"needs, \\\"quoting\\\"\"}\n",
                write(ExportFormat.JSONL));
    }

    @Test
    void shouldNeutraliseCellsASpreadsheetWouldRunAsFormulas() throws Exception {
        var out = new StringWriter();
        try (var rows = ExportFormat.CSV.open(out, List.of("key_id", "requests", "note"))) {
            rows.write(row("k_a", -1, "=HYPERLINK(\"http://x\")"));
            rows.write(row("k_b", 1, "+1"));
            rows.write(row("k_c", 1, "-2"));
            rows.write(row("k_d", 1, "@SUM(A1)"));
            rows.write(row("k_e", 1, "safe=text"));
        }
        assertEquals(
                "key_id,requests,note\n"
                        + "k_a,-1,\"'=HYPERLINK(\"\"http://x\"\")\"\n"
                        + "k_b,1,'+1\n"
                        + "k_c,1,'-2\n"
                        + "k_d,1,'@SUM(A1)\n"
                        + "k_e,1,safe=text\n",
                out.toString());
    }

    @Test
    void shouldLeaveJsonLinesValuesAsTheyAre() throws Exception {
        var out = new StringWriter();
        try (var rows = ExportFormat.JSONL.open(out, List.of("key_id", "requests", "note"))) {
            rows.write(row("k_a", 1, "=1+1"));
        }
        assertEquals("{\"key_id\":\"k_a\",\"requests\":1,\"note\":\"=1+1\"}\n", out.toString());
    }
}
