package io.streammeter.bench.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One child JVM of the suite: started with its output in a log file (appended across restarts),
 * signalled by pid, and waited on with a deadline.
 */
final class Proc {
    private final String name;
    private final List<String> command;
    private final Path log;
    private Process process;

    Proc(String name, List<String> command, Path log) {
        this.name = name;
        this.command = command;
        this.log = log;
    }

    String name() {
        return name;
    }

    /** Starts the process and waits until its log shows {@code ready} (a substring). */
    Proc start(String ready, Duration limit) throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        Files.writeString(
                log,
                "=== start " + Instant.now() + " ===\n",
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        long offset = Files.size(log);
        process =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .start();
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            String text = Files.readString(log);
            if (text.length() > offset && text.substring((int) offset).contains(ready)) {
                return this;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        name
                                + " exited with "
                                + process.exitValue()
                                + " before '"
                                + ready
                                + "'; see "
                                + log);
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name + " not ready within " + limit + "; see " + log);
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** Sends a signal by name (TERM, KILL, STOP, CONT) with the system's kill command. */
    void signal(String signal) throws IOException, InterruptedException {
        int exit =
                new ProcessBuilder("kill", "-" + signal, Long.toString(pid()))
                        .inheritIO()
                        .start()
                        .waitFor();
        if (exit != 0) {
            throw new IllegalStateException("kill -" + signal + " " + name + " failed: " + exit);
        }
    }

    /** Waits for the process to exit; returns its exit code, or -1 if it is still running. */
    int awaitExit(Duration limit) throws InterruptedException {
        if (process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            return process.exitValue();
        }
        return -1;
    }

    /** The process state letter from /proc (R, S, T for stopped, …), or "?" when unreadable. */
    String state() {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid() + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    /** Stops the process if it runs: SIGCONT (in case it is frozen), SIGTERM, then SIGKILL. */
    synchronized void stop() {
        if (!alive()) {
            return;
        }
        try {
            signal("CONT");
            signal("TERM");
            if (awaitExit(Duration.ofSeconds(30)) < 0) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (IOException | IllegalStateException e) {
            process.destroyForcibly(); // it died meanwhile, or kill failed: make sure
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
