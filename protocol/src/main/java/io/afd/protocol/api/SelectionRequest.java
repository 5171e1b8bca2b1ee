package io.afd.protocol.api;

import java.util.List;

/**
 * Orchestrator to score-map: the sub-models of a round's participants.
 *
 * @param policy       fedavg, random-fd, afd-single, afd-multi
 * @param dropoutRate  fraction of units dropped per droppable layer
 * @param topK         deterministic top-k variant
 * @param eps          score smoothing of weighted sampling
 * @param lossSignal   train or initial
 * @param seed         experiment master seed (the strategy derives its own)
 * @param architecture the global model spec string
 * @param clients      participant client ids
 */
public record SelectionRequest(
        String policy,
        double dropoutRate,
        boolean topK,
        double eps,
        String lossSignal,
        long seed,
        String architecture,
        List<String> clients) {}
