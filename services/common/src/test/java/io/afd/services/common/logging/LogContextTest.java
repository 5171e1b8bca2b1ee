package io.afd.services.common.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.jboss.logging.MDC;
import org.junit.jupiter.api.Test;

class LogContextTest {

    @Test
    void setsTheFieldsForTheBlockAndRestoresWhatWasThere() {
        MDC.put(LogContext.EXPERIMENT, "outer");
        try (LogContext c = LogContext.of("exp-1", 3, "client-00007")) {
            assertEquals("exp-1", MDC.get(LogContext.EXPERIMENT));
            assertEquals("3", MDC.get(LogContext.ROUND));
            assertEquals("client-00007", MDC.get(LogContext.CLIENT));
            try (LogContext inner = LogContext.of(null, 4, null)) {
                assertEquals("exp-1", MDC.get(LogContext.EXPERIMENT), "a null value sets nothing");
                assertEquals("4", MDC.get(LogContext.ROUND));
            }
            assertEquals("3", MDC.get(LogContext.ROUND));
        }
        assertEquals("outer", MDC.get(LogContext.EXPERIMENT));
        assertNull(MDC.get(LogContext.ROUND));
        assertNull(MDC.get(LogContext.CLIENT));
        MDC.remove(LogContext.EXPERIMENT);
    }
}
