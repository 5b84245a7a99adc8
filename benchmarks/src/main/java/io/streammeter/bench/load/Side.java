package io.streammeter.bench.load;

/** Where the load generator sends its requests. */
enum Side {
    /** Straight to the simulator. */
    DIRECT,
    /** Through the relay, which forwards to the simulator and publishes to Kafka. */
    RELAY
}
