package io.streammeter.bench.load;

/** Processes whose CPU time and memory the load benchmark reads; 0 when not known. */
record Pids(long relay, long simulator, long broker) {
    static long self() {
        return ProcessHandle.current().pid();
    }
}
