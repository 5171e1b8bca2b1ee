package io.afd.core;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class Nd4jSmokeTest {
    @Test
    void loads() {
        System.out.println(Nd4j.create(new float[]{1, 2, 3}).sumNumber());
    }
}
