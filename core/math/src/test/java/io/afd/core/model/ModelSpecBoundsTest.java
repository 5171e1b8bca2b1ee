package io.afd.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModelSpecBoundsTest {

    @Test
    void parameterCountsAreTheClosedFormOnes() {
        // LEAF FEMNIST CNN: 32*1*25+32 + 64*32*25+64 + (64*7*7)*2048+2048 + 2048*62+62
        assertEquals(6_603_710L, ModelSpec.leafCnn(62).numParams());
        // MLP 60-200-200-10
        assertEquals(
                60 * 200 + 200 + 200 * 200 + 200 + 200 * 10 + 10,
                ModelSpec.mlp(60, 10, 200, 200).numParams());
        assertEquals(60 * 10 + 10, ModelSpec.logReg(60, 10).numParams());
    }

    @Test
    void modelsAboveTheBoundAreRefusedWhereTheyAreNamed() {
        for (String spec : List.of(
                "mlp(in=30000,hidden=30000,classes=10)",
                "mlp(in=60,hidden=2000000000,classes=10)",
                "mlp(in=1000000,hidden=1000000,classes=10)",
                "cnn(in=1x2000000x2000000,c1=32,c2=64,fc=2048,classes=62)",
                "cnn(in=1x28x28,c1=2147483647,c2=2147483647,fc=2147483647,classes=62)")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.parse(spec));
            assertTrue(e.getMessage().contains("MAX_PARAMETERS"), spec + ": " + e.getMessage());
        }
    }

    @Test
    void theBoundItselfIsAccepted() {
        // in*h + h + h*c + c with one hidden unit and two classes: just under the bound
        ModelSpec m = ModelSpec.mlp(49_999_995, 2, 1);
        assertTrue(m.numParams() <= ModelSpec.MAX_PARAMETERS, "numParams " + m.numParams());
        assertEquals(49_999_995L + 1 + 2 + 2, m.numParams());
    }
}
