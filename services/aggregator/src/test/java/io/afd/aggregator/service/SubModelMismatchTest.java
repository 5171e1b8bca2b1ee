package io.afd.aggregator.service;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.afd.core.codec.CodecSpec;
import io.afd.core.codec.TensorCodec;
import io.afd.core.model.ModelSpec;
import io.afd.core.submodel.Selection;
import io.afd.core.submodel.SubModelLayout;
import io.afd.core.tensor.NamedTensor;
import io.afd.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The header check the aggregator runs before it decodes an update's payload. */
class SubModelMismatchTest {
    private static final ModelSpec SPEC = ModelSpec.parse("mlp(in=20,hidden=16x16,classes=4)");
    private static final String SEL = "fc1:0,1,2,3,4,5,6,7;fc2:0,1,2,3";

    private static List<TensorCodec.TensorHeader> headers(List<? extends NamedTensor> tensors, CodecSpec spec) {
        return TensorCodec.headers(TensorCodec.encode(tensors, spec), TensorCodec.DEFAULT_MAX_TENSOR_ELEMENTS);
    }

    private static List<Tensor> subModel() {
        ModelSpec sub = new SubModelLayout(SPEC, Selection.parse(SEL)).sub();
        List<Tensor> out = new ArrayList<>();
        for (var p : sub.params()) {
            out.add(new Tensor(p.name(), p.shape(), new float[p.size()]));
        }
        return out;
    }

    @Test
    void theClientsSubModelPasses() {
        assertNull(Intake.subModelMismatch(SPEC.toString(), SEL, headers(subModel(), CodecSpec.FLOAT32)));
        assertNull(Intake.subModelMismatch(SPEC.toString(), SEL, headers(subModel(), CodecSpec.parse("q1"))));
    }

    @Test
    void aTensorOfAnotherShapeIsRefusedFromItsHeader() {
        List<Tensor> ts = subModel();
        // a 1-bit tensor that would expand to 2^24 floats: refused before its payload is touched
        ts.set(0, new Tensor(ts.get(0).name(), new int[] {1 << 24}, new float[1 << 24]));
        String why = Intake.subModelMismatch(SPEC.toString(), SEL, headers(ts, CodecSpec.parse("q1")));
        assertTrue(why != null && why.contains("declares shape [16777216]"), why);
    }

    @Test
    void anUnknownOrRepeatedTensorIsRefused() {
        List<Tensor> extra = new ArrayList<>(subModel());
        extra.add(new Tensor("evil/W", new int[] {2}, new float[2]));
        String why = Intake.subModelMismatch(SPEC.toString(), SEL, headers(extra, CodecSpec.FLOAT32));
        assertTrue(why != null && why.contains("evil/W is not a parameter"), why);
    }

    @Test
    void anInvalidSelectionIsLeftToTheValidators() {
        assertNull(Intake.subModelMismatch(SPEC.toString(), "fc9:0", headers(subModel(), CodecSpec.FLOAT32)));
    }

    @Test
    void onlyTheUplinkCodecsEncodingsPass() {
        assertNull(Intake.encodingMismatch("float32", headers(subModel(), CodecSpec.FLOAT32)));
        assertNull(Intake.encodingMismatch(null, headers(subModel(), CodecSpec.parse("q1"))), "no codec named");
        String why = Intake.encodingMismatch("float32", headers(subModel(), CodecSpec.parse("q1")));
        assertTrue(why != null && why.contains("is encoded as q1") && why.contains("float32"), why);
        assertNull(Intake.encodingMismatch("q1", headers(subModel(), CodecSpec.parse("q1"))));
    }
}
