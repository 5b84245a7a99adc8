package io.streammeter.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammeter.avro.BudgetAlert;
import io.streammeter.avro.CustomerBudget;
import io.streammeter.avro.MissingUsageAlert;
import io.streammeter.avro.MissingUsageRateAlert;
import io.streammeter.avro.PlatformKey;
import io.streammeter.avro.SpendAggregate;
import io.streammeter.avro.StreamEvent;
import io.streammeter.avro.StreamSummary;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SchemaCompatibilityTest {

    static Stream<Schema> topLevelSchemas() {
        return Stream.of(
                StreamEvent.getClassSchema(),
                StreamSummary.getClassSchema(),
                SpendAggregate.getClassSchema(),
                MissingUsageAlert.getClassSchema(),
                MissingUsageRateAlert.getClassSchema(),
                PlatformKey.getClassSchema(),
                CustomerBudget.getClassSchema(),
                BudgetAlert.getClassSchema());
    }

    @ParameterizedTest
    @MethodSource("topLevelSchemas")
    void shouldReadDataWrittenWithEveryReleasedVersion(Schema current) {
        List<Schema> released = SchemaHistory.versions(current.getName());
        assertFalse(released.isEmpty(), "no released version of " + current.getName());
        for (int i = 0; i < released.size(); i++) {
            var result =
                    SchemaCompatibility.checkReaderWriterCompatibility(current, released.get(i));
            assertEquals(
                    SchemaCompatibilityType.COMPATIBLE,
                    result.getType(),
                    current.getName() + " cannot read v" + (i + 1) + ": " + result.getResult());
        }
    }

    @ParameterizedTest
    @MethodSource("topLevelSchemas")
    void shouldRecordTheCurrentSchemaAsTheLatestReleasedVersion(Schema current) {
        List<Schema> released = SchemaHistory.versions(current.getName());
        Schema latest = released.get(released.size() - 1);
        assertEquals(
                latest,
                current,
                "The schema of "
                        + current.getName()
                        + " changed: keep the old version and add this one as"
                        + " src/main/resources/schema-history/"
                        + current.getName()
                        + "/v"
                        + (released.size() + 1)
                        + ".avsc:\n"
                        + current.toString(true));
    }

    @Test
    void shouldReportAFieldAddedWithoutADefaultAsIncompatible() {
        Schema released = SchemaHistory.versions("StreamEvent").get(0);
        String json = StreamEvent.getClassSchema().toString();
        Schema changed =
                new Schema.Parser()
                        .parse(
                                json.replaceFirst(
                                        "\"fields\":\\[",
                                        "\"fields\":[{\"name\":\"tenant\",\"type\":\"string\"},"));

        var result = SchemaCompatibility.checkReaderWriterCompatibility(changed, released);

        assertEquals(SchemaCompatibilityType.INCOMPATIBLE, result.getType());
        assertTrue(
                result.getResult().toString().contains("tenant"),
                "the report should name the field: " + result.getResult());
    }

    @Test
    void shouldAcceptAFieldAddedWithADefault() {
        Schema released = SchemaHistory.versions("StreamEvent").get(0);
        String json = StreamEvent.getClassSchema().toString();
        Schema changed =
                new Schema.Parser()
                        .parse(
                                json.replaceFirst(
                                        "\"fields\":\\[",
                                        "\"fields\":[{\"name\":\"tenant\",\"type\":[\"null\","
                                                + "\"string\"],\"default\":null},"));

        var result = SchemaCompatibility.checkReaderWriterCompatibility(changed, released);

        assertEquals(SchemaCompatibilityType.COMPATIBLE, result.getType(), result.toString());
    }

    @Test
    void shouldLetOnlyAReaderOfV5OrLaterReadGroupedChunks() {
        List<Schema> released = SchemaHistory.versions("StreamEvent");
        Schema v4 = released.get(3);
        Schema v5 = released.get(4);

        // v5 reads everything v4 wrote; a v4 reader (metering before v5) cannot read a v5 writer
        // (StreamChunks is a new union branch): metering is upgraded before the relay groups.
        assertEquals(
                SchemaCompatibilityType.COMPATIBLE,
                SchemaCompatibility.checkReaderWriterCompatibility(v5, v4).getType());
        var result = SchemaCompatibility.checkReaderWriterCompatibility(v4, v5);
        assertEquals(SchemaCompatibilityType.INCOMPATIBLE, result.getType());
        assertTrue(result.getResult().toString().contains("StreamChunks"), result.toString());
    }
}
