package io.afd.infra;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Process and file helpers shared by the broker, the embedded database and the command lines (afd-infra's and the
 * launcher's standing suite).
 */
public final class Procs {

    private Procs() {}

    /** The {@code java} launcher of the running JVM. */
    public static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Stops a process: SIGTERM, wait up to {@code grace}, then SIGKILL and wait a little more.
     *
     * @return true if the process is gone
     */
    public static boolean terminate(ProcessHandle handle, Duration grace) {
        if (!handle.isAlive()) {
            return true;
        }
        handle.destroy();
        if (waitFor(handle, grace)) {
            return true;
        }
        handle.destroyForcibly();
        return waitFor(handle, Duration.ofSeconds(10));
    }

    static boolean waitFor(ProcessHandle handle, Duration timeout) {
        try {
            handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return !handle.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !handle.isAlive();
        } catch (java.util.concurrent.ExecutionException e) {
            return !handle.isAlive();
        }
    }

    /** Start time of a process in epoch milliseconds, or 0 when unknown. */
    public static long startMillis(ProcessHandle handle) {
        return handle.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }

    /**
     * The live process with this pid, if it is still the process that was recorded: a pid can be
     * reused after its process ended, so the recorded start time must match when it is known.
     */
    public static Optional<ProcessHandle> live(long pid, long recordedStartMillis) {
        if (pid <= 0) {
            return Optional.empty();
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (handle.isPresent() && recordedStartMillis > 0) {
            long start = startMillis(handle.get());
            if (start > 0 && Math.abs(start - recordedStartMillis) > 2_000) {
                return Optional.empty();
            }
        }
        return handle;
    }

    /** The last {@code maxLines} lines of a text file (empty when it does not exist). */
    public static String tail(Path file, int maxLines) {
        if (file == null || !Files.isRegularFile(file)) {
            return "";
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            long start = Math.max(0, length - 64L * 1024);
            byte[] bytes = new byte[(int) (length - start)];
            raf.seek(start);
            raf.readFully(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8);
            String[] lines = text.split("\r?\n");
            int from = Math.max(0, lines.length - maxLines);
            StringBuilder out = new StringBuilder();
            for (int i = from; i < lines.length; i++) {
                out.append(lines[i]).append('\n');
            }
            return out.toString();
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")\n";
        }
    }

    /** Deletes a file tree if it exists; best effort, ignores files that vanish meanwhile. */
    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Writes a text file atomically (temporary file in the same directory, then rename). */
    static void writeAtomically(Path file, String text) throws IOException {
        write(file, text, false);
    }

    /**
     * Writes a secret atomically, readable and writable by its owner only ({@code rw-------}, where the file system
     * has POSIX permissions; elsewhere the directory's permissions apply).
     */
    public static void writeOwnerOnly(Path file, String text) throws IOException {
        write(file, text, true);
    }

    /** The executable {@code name} on the {@code PATH}, if there is one. */
    public static Optional<String> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String d : path.split(java.io.File.pathSeparator)) {
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) {
                return Optional.of(p.toString());
            }
        }
        return Optional.empty();
    }

    private static void write(Path file, String text, boolean ownerOnly) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            if (ownerOnly) {
                try {
                    Files.setPosixFilePermissions(
                            tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system: the directory's permissions apply
                }
            }
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.move(
                        tmp,
                        file,
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** A system property, else an environment variable, else null (blank counts as unset). */
    static String setting(String property, String env) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            v = System.getenv(env);
        }
        return v == null || v.isBlank() ? null : v.trim();
    }
}
