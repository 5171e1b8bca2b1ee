package io.afd.services.common.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a service's own token comes from: inline first, else a file read again when it changes. */
class ServiceTokenFilterTest {

    @TempDir
    Path dir;

    @Test
    void anInlineTokenWinsAndNothingConfiguredSendsNone() {
        ServiceTokenFilter f = new ServiceTokenFilter();
        assertEquals("abc", f.token(Optional.of(" abc\n"), Optional.of("/nonexistent")));
        assertNull(f.token(Optional.empty(), Optional.empty()));
        assertNull(f.token(Optional.of(" "), Optional.of("")));
    }

    @Test
    void aRotatedFileIsReadAgain() throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, "first\n");
        ServiceTokenFilter f = new ServiceTokenFilter();
        assertEquals("first", f.token(Optional.empty(), Optional.of(file.toString())));
        Files.writeString(file, "second\n");
        // a rotation in the same file-system tick is not missed: the modification time is what is compared
        Files.setLastModifiedTime(
                file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 2000));
        assertEquals("second", f.token(Optional.empty(), Optional.of(file.toString())));
        Files.delete(file);
        assertThrows(java.io.UncheckedIOException.class, () -> f.token(Optional.empty(), Optional.of(file.toString())));
    }
}
