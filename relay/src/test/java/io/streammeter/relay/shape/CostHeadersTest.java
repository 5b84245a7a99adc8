package io.streammeter.relay.shape;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streammeter.avro.Usage;
import io.streammeter.prices.PriceFile;
import io.streammeter.prices.PriceTable;
import io.streammeter.relay.shape.anthropic.AnthropicMessages;
import io.streammeter.relay.shape.completions.OpenAiCompletions;
import io.streammeter.relay.shape.embeddings.OpenAiEmbeddings;
import io.streammeter.relay.shape.openai.OpenAiChatCompletions;
import io.streammeter.relay.shape.responses.OpenAiResponses;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CostHeadersTest {
    private static final Instant NOW = Instant.parse("2026-01-15T00:00:00Z");
    private static final PriceTable TABLE =
            PriceFile.parse(
                    "models:\n"
                            + "  - model: cheap*\n"
                            + "    effective_from: 2024-01-01\n"
                            + "    input: 0.15\n"
                            + "    cached_input: 0.075\n"
                            + "    output: 0.60\n"
                            + "  - model: big\n"
                            + "    effective_from: 2024-01-01\n"
                            + "    input: 2.50\n"
                            + "    output: 10.00\n"
                            + "  - model: text-embedding-3-small\n"
                            + "    effective_from: 2024-01-01\n"
                            + "    input: 0.02\n"
                            + "    output: 0\n",
                    false);
    private static final PriceTable BUNDLED = PriceFile.bundled();

    private static Usage usage(long prompt, long completion) {
        return new Usage(prompt, completion, prompt + completion, null, null, null, false);
    }

    private static CostHeaders.Header cost(String value) {
        return new CostHeaders.Header(CostHeaders.COST, value);
    }

    private static final CostHeaders.Header UNPRICED =
            new CostHeaders.Header(CostHeaders.UNPRICED, "1");

    @Test
    void shouldWriteUsdWithExactlySixDecimals() {
        assertEquals(cost("0.002500"), CostHeaders.of(usage(1000, 0), "big", TABLE, NOW));
        assertEquals(
                cost("12.500000"), CostHeaders.of(usage(1_000_000, 1_000_000), "big", TABLE, NOW));
        assertEquals(cost("0.000000"), CostHeaders.of(usage(0, 0), "big", TABLE, NOW));
    }

    @Test
    void shouldRoundOnceHalfUpToAMicroUsdLikeTheLineItem() {
        // 3 x 0.15 = 0.45 micro-USD: rounds down to 0; 10 x 0.15 = 1.5: up to 2
        assertEquals(cost("0.000000"), CostHeaders.of(usage(3, 0), "cheap-1", TABLE, NOW));
        assertEquals(cost("0.000002"), CostHeaders.of(usage(10, 0), "cheap-1", TABLE, NOW));
        // 5 x 0.15 + 1 x 0.60 = 1.35 once, not 1 + 1 per part
        assertEquals(cost("0.000001"), CostHeaders.of(usage(5, 1), "cheap-1", TABLE, NOW));
        // cached input at its own rate: 90 x 0.15 + 10 x 0.075 = 14.25
        Usage cached = new Usage(100L, 0L, 100L, 10L, null, null, false);
        assertEquals(cost("0.000014"), CostHeaders.of(cached, "cheap-1", TABLE, NOW));
    }

    @Test
    void shouldSayUnpricedForAnUnknownModelAbsentUsageOrNoModel() {
        assertEquals(UNPRICED, CostHeaders.of(usage(10, 10), "unknown-model", TABLE, NOW));
        assertEquals(UNPRICED, CostHeaders.of((Usage) null, "big", TABLE, NOW));
        assertEquals(UNPRICED, CostHeaders.of(usage(10, 10), null, TABLE, NOW));
        assertEquals(UNPRICED, CostHeaders.of(new StreamUsage(), "big", TABLE, NOW));
    }

    @Test
    void shouldNotPriceBeforeTheEntryTakesEffect() {
        assertEquals(
                UNPRICED,
                CostHeaders.of(usage(10, 10), "big", TABLE, Instant.parse("2023-12-31T00:00:00Z")));
    }

    @Test
    void shouldBillOnlyTheInputOfPartialUsageLikeMetering() {
        Usage partial = new Usage(1000L, 500L, 1500L, null, null, null, true);
        assertEquals(cost("0.002500"), CostHeaders.of(partial, "big", TABLE, NOW));
    }

    @Test
    void shouldPreferTheReportedModelToTheRequestedOne() {
        StreamUsage read =
                read(
                        new OpenAiChatCompletions(),
                        "{\"object\":\"chat.completion\",\"model\":\"big\",\"choices\":[],"
                                + "\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":0,\"total_tokens\":1000}}");
        assertEquals(cost("0.002500"), CostHeaders.of(read, "cheap-1", TABLE, NOW));
        StreamUsage noModel =
                read(
                        new OpenAiChatCompletions(),
                        "{\"object\":\"chat.completion\",\"choices\":[],"
                                + "\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":0,\"total_tokens\":1000}}");
        assertEquals(cost("0.002500"), CostHeaders.of(noModel, "big", TABLE, NOW));
    }

    @Test
    void shouldPriceAChatCompletionBody() {
        // gpt-4o: 3 x 2.50 + 2 x 10.00 = 27.5 -> 28 micro-USD
        StreamUsage read =
                read(
                        new OpenAiChatCompletions(),
                        "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"model\":\"gpt-4o\","
                                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},"
                                + "\"finish_reason\":\"stop\"}],"
                                + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}");
        assertEquals(cost("0.000028"), CostHeaders.of(read, "gpt-4o", BUNDLED, NOW));
    }

    @Test
    void shouldPriceALegacyCompletionBody() {
        // gpt-4o-mini: 100 x 0.15 + 50 x 0.60 = 45
        StreamUsage read =
                read(
                        new OpenAiCompletions(),
                        "{\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"model\":\"gpt-4o-mini\","
                                + "\"choices\":[{\"index\":0,\"text\":\"Hi\",\"finish_reason\":\"stop\"}],"
                                + "\"usage\":{\"prompt_tokens\":100,\"completion_tokens\":50,\"total_tokens\":150}}");
        assertEquals(cost("0.000045"), CostHeaders.of(read, "gpt-4o-mini", BUNDLED, NOW));
    }

    @Test
    void shouldPriceAnEmbeddingsBodyOrSayUnpriced() {
        String body =
                "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.1]}],"
                        + "\"model\":\"text-embedding-3-small\",\"usage\":{\"prompt_tokens\":800,\"total_tokens\":800}}";
        // 800 x 0.02 = 16
        assertEquals(
                cost("0.000016"),
                CostHeaders.of(
                        read(new OpenAiEmbeddings(), body), "text-embedding-3-small", TABLE, NOW));
        // the bundled example table prices no embedding model
        assertEquals(
                UNPRICED,
                CostHeaders.of(
                        read(new OpenAiEmbeddings(), body),
                        "text-embedding-3-small",
                        BUNDLED,
                        NOW));
    }

    @Test
    void shouldPriceAResponsesBody() {
        // gpt-4o: 3 x 2.50 + 4 x 10.00 = 47.5 -> 48
        StreamUsage read =
                read(
                        new OpenAiResponses(),
                        "{\"id\":\"resp_1\",\"object\":\"response\",\"status\":\"completed\",\"model\":\"gpt-4o\","
                                + "\"output\":[{\"type\":\"message\",\"content\":[{\"type\":\"output_text\",\"text\":\"hello\"}]}],"
                                + "\"usage\":{\"input_tokens\":3,\"output_tokens\":4,\"total_tokens\":7}}");
        assertEquals(cost("0.000048"), CostHeaders.of(read, "gpt-4o", BUNDLED, NOW));
    }

    @Test
    void shouldPriceAnAnthropicMessageBodyWithCacheReadsAndWrites() {
        // claude-haiku-4-5: 10 x 1.00 + 30 x 0.10 + 20 x 1.25 + 7 x 5.00 = 73
        StreamUsage read =
                read(
                        new AnthropicMessages(),
                        "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-haiku-4-5\","
                                + "\"content\":[{\"type\":\"text\",\"text\":\"Hi\"}],\"stop_reason\":\"end_turn\","
                                + "\"usage\":{\"input_tokens\":10,\"cache_creation_input_tokens\":20,"
                                + "\"cache_read_input_tokens\":30,\"output_tokens\":7}}");
        assertEquals(cost("0.000073"), CostHeaders.of(read, "claude-haiku-4-5", BUNDLED, NOW));
    }

    @Test
    void shouldSayUnpricedForABodyWithoutUsage() {
        StreamUsage read =
                read(
                        new OpenAiChatCompletions(),
                        "{\"object\":\"chat.completion\",\"model\":\"gpt-4o\",\"choices\":[]}");
        assertEquals(UNPRICED, CostHeaders.of(read, "gpt-4o", BUNDLED, NOW));
    }

    /** What the shape's adapter reads for the line item: the one usage reader. */
    private static StreamUsage read(ApiShapeAdapter adapter, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        StreamUsage usage = new StreamUsage();
        ChunkFacts facts = new ChunkFacts();
        adapter.readBody(bytes, bytes.length, usage, facts);
        usage.add(facts, false);
        return usage;
    }
}
