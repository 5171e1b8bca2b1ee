package io.afd.protocol.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.afd.core.round.LossSignal;
import io.afd.core.round.SelectionSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(ApiJson.module());

    @Test
    void selectionRequestRoundTripsWithNestedTypedSettings() throws Exception {
        SelectionRequest q = new SelectionRequest(
                new SelectionSettings("AFD_MULTI", 0.25, true, 1e-3, LossSignal.INITIAL),
                7,
                "mlp(in=60,hidden=200x200,classes=10)",
                List.of("client-00001", "client-00002"));
        String text = JSON.writeValueAsString(q);
        assertEquals(
                "{\"selection\":{\"policy\":\"afd-multi\",\"dropoutRate\":0.25,\"topK\":true,\"eps\":0.001,"
                        + "\"lossSignal\":\"initial\"},\"seed\":7,\"architecture\":"
                        + "\"mlp(in=60,hidden=200x200,classes=10)\",\"clients\":[\"client-00001\",\"client-00002\"]}",
                text);
        assertEquals(q, JSON.readValue(text, SelectionRequest.class));
    }

    @Test
    void lossSignalAcceptsItsAliasesAndRefusesTheRest() throws Exception {
        assertEquals(LossSignal.TRAIN, JSON.readValue("\"training\"", LossSignal.class));
        assertEquals(LossSignal.INITIAL, JSON.readValue("\"INITIAL\"", LossSignal.class));
        JsonMappingException bad =
                assertThrows(JsonMappingException.class, () -> JSON.readValue("\"loudness\"", LossSignal.class));
        assertTrue(bad.getOriginalMessage().contains("unknown loss signal 'loudness'"), bad.getOriginalMessage());
        assertThrows(JsonMappingException.class, () -> JSON.readValue("3", LossSignal.class));
    }

    @Test
    void theSettingsConstructorIsTheOneValidation() {
        String body = "{\"selection\":{\"policy\":\"afd-single\",\"dropoutRate\":1.0,\"eps\":0.001,"
                + "\"lossSignal\":\"train\"},\"seed\":1,\"architecture\":\"a\",\"clients\":[]}";
        JsonMappingException e =
                assertThrows(JsonMappingException.class, () -> JSON.readValue(body, SelectionRequest.class));
        assertTrue(rootMessage(e).contains("dropout rate must be in [0,1)"), rootMessage(e));
        String missing = "{\"seed\":1,\"architecture\":\"a\",\"clients\":[]}";
        JsonMappingException m =
                assertThrows(JsonMappingException.class, () -> JSON.readValue(missing, SelectionRequest.class));
        assertTrue(m.getOriginalMessage().contains("selection"), m.getOriginalMessage());
        String noSignal = "{\"selection\":{\"policy\":\"fedavg\",\"dropoutRate\":0,\"eps\":0.001},\"seed\":1}";
        JsonMappingException n =
                assertThrows(JsonMappingException.class, () -> JSON.readValue(noSignal, SelectionRequest.class));
        assertTrue(rootMessage(n).contains("lossSignal is required"), rootMessage(n));
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
