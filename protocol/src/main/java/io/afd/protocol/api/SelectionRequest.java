package io.afd.protocol.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.afd.core.round.SelectionSettings;
import java.util.List;

/**
 * Orchestrator to score-map: the sub-models of a round's participants.
 *
 * <p>{@code selection} is the experiment's typed {@code strategy} section, bound straight to
 * {@link SelectionSettings} (its constructor is the one validation: a registered policy name, a
 * dropout rate in [0, 1), a finite eps &gt; 0, a loss signal {@code train} or {@code initial};
 * {@link ApiJson} maps the loss signal). JSON: {@code {"selection": {"policy": "afd-multi",
 * "dropoutRate": 0.25, "topK": false, "eps": 0.001, "lossSignal": "train"}, "seed": 7,
 * "architecture": "mlp(...)", "clients": ["client-00001"]}}.
 *
 * @param selection    how sub-models are chosen (policy and its settings)
 * @param seed         experiment master seed (the policy derives its own stream)
 * @param architecture the global model spec string
 * @param clients      participant client ids
 */
public record SelectionRequest(
        @JsonProperty(required = true) SelectionSettings selection,
        long seed,
        String architecture,
        List<String> clients) {}
