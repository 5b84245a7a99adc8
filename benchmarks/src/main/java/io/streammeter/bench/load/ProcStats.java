package io.streammeter.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** CPU time and memory of a process, read from {@code /proc} (and {@code jcmd} for the heap). */
final class ProcStats {
    /** Linux reports CPU time in USER_HZ ticks, 100 per second on every mainstream kernel. */
    static final long MICROS_PER_TICK = 10_000;

    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    private ProcStats() {}

    /** utime + stime of the process, in microseconds; -1 when it cannot be read. */
    static long cpuMicros(long pid) {
        return ticks(pid, true, true);
    }

    /** stime of the process (CPU time in the kernel on its behalf), in microseconds. */
    static long systemMicros(long pid) {
        return ticks(pid, false, true);
    }

    private static long ticks(long pid, boolean user, boolean system) {
        if (pid <= 0) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // After the command: field 3 (state) is index 0, so utime (14) is 11, stime (15) is 12.
            long ticks =
                    (user ? Long.parseLong(fields[11]) : 0)
                            + (system ? Long.parseLong(fields[12]) : 0);
            return ticks * MICROS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** A line of {@code /proc/<pid>/status} such as VmRSS or VmHWM, in KiB; -1 when absent. */
    static long statusKib(long pid, String field) {
        if (pid <= 0) {
            return -1;
        }
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/" + pid + "/status"));
            for (String line : lines) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Runs a full GC in the JVM {@code pid} and returns its heap in use afterwards (KiB), or -1.
     * Meant for memory snapshots between measurements, never during one.
     */
    static long liveHeapKib(long pid) {
        if (pid <= 0) {
            return -1;
        }
        if (jcmd(pid, "GC.run") == null) {
            return -1;
        }
        String info = jcmd(pid, "GC.heap_info");
        if (info == null) {
            return -1;
        }
        Matcher m = HEAP_USED.matcher(info);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** Writes the first {@code lines} lines of the JVM's class histogram (live objects). */
    static void classHistogram(long pid, Path file, int lines) {
        String histogram = jcmd(pid, "GC.class_histogram");
        if (histogram == null) {
            return;
        }
        try {
            Files.write(file, histogram.lines().limit(lines).toList());
        } catch (IOException e) {
            System.err.println("load: cannot write " + file + ": " + e.getMessage());
        }
    }

    private static String jcmd(long pid, String command) {
        try {
            Process p =
                    new ProcessBuilder("jcmd", Long.toString(pid), command)
                            .redirectErrorStream(true)
                            .start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            return out;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
