package io.streammeter.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Delays are lower bounds on a busy machine, so these tests assert only "at least". */
class DelaysIT extends SimulatorTestBase {

    @Test
    void shouldSendHeadersAtOnceAndTheFirstEventAfterFirstDelay() throws Exception {
        long start = System.nanoTime();
        HttpResponse<InputStream> response =
                http.send(
                        request(
                                        Api.CHAT_COMPLETIONS,
                                        "first-delay-ms=600;chunks=1",
                                        Bodies.chat(true, ""))
                                .build(),
                        HttpResponse.BodyHandlers.ofInputStream());
        long headers = System.nanoTime();
        List<Long> arrivals = dataArrivals(response.body());

        assertEquals(200, response.statusCode());
        assertTrue(millis(start, arrivals.get(0)) >= 600, "first event after the delay");
        assertTrue(
                millis(headers, arrivals.get(0)) >= 300,
                "headers came well before the first event");
    }

    @Test
    void shouldSpaceContentChunksByDelay() throws Exception {
        long start = System.nanoTime();
        HttpResponse<InputStream> response =
                http.send(
                        request(
                                        Api.CHAT_COMPLETIONS,
                                        "chunks=4;delay-ms=100",
                                        Bodies.chat(true, ""))
                                .build(),
                        HttpResponse.BodyHandlers.ofInputStream());

        List<Long> arrivals = dataArrivals(response.body());

        assertEquals(1 + 4 + 1 + 1, arrivals.size(), "role, 4 contents, finish, [DONE]");
        // Measured from the request, not between arrivals: a reader that is late for one chunk
        // sees a short gap to the next however well the simulator spaced them.
        for (int i = 2; i <= 4; i++) {
            long earliest = (i - 1) * 95L;
            assertTrue(
                    millis(start, arrivals.get(i)) >= earliest,
                    "content " + i + " not before " + earliest + " ms");
        }
    }

    private static List<Long> dataArrivals(InputStream body) throws Exception {
        List<Long> arrivals = new ArrayList<>();
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("data: ")) {
                    arrivals.add(System.nanoTime());
                }
            }
        }
        return arrivals;
    }

    private static long millis(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1_000_000;
    }
}
