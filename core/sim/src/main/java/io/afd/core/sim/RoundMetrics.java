package io.afd.core.sim;

/**
 * What one round did. Bytes are measured on the encoded payloads.
 *
 * @param round              round index, 0-based
 * @param clients            clients that trained and reported
 * @param testAccuracy       accuracy of the new global model on the test set (NaN if not evaluated)
 * @param testLoss           its mean cross-entropy (NaN if not evaluated)
 * @param trainLoss          sample-weighted mean local training loss
 * @param bytesDownPerClient mean downlink payload per client
 * @param bytesUpPerClient   mean uplink payload per client
 * @param denseBytes         float32 size of the whole model, the FedAvg reference for both directions
 * @param subModelParams     mean parameters per client sub-model
 * @param sparsity           DGC sparsity applied this round (0 without DGC)
 * @param uploadedValues     mean coordinates sent per client
 * @param distinctSubModels  distinct selections this round
 * @param trainMillis        summed local training wall time (with clients trained in parallel, each
 *                           is measured while the others train)
 * @param computeMillisMax   slowest client's local training wall time (for time models; likewise)
 * @param wallMillis         wall time of the whole round, evaluation included
 */
public record RoundMetrics(
        int round,
        int clients,
        double testAccuracy,
        double testLoss,
        double trainLoss,
        double bytesDownPerClient,
        double bytesUpPerClient,
        long denseBytes,
        double subModelParams,
        double sparsity,
        double uploadedValues,
        int distinctSubModels,
        long trainMillis,
        long computeMillisMax,
        long wallMillis) {

    public static final String CSV_HEADER = "round,clients,test_accuracy,test_loss,train_loss,bytes_down_per_client,"
            + "bytes_up_per_client,dense_bytes,submodel_params,sparsity,uploaded_values,distinct_submodels,"
            + "train_ms,compute_ms_max,wall_ms";

    public String csvRow() {
        return round + "," + clients + "," + num(testAccuracy) + "," + num(testLoss) + "," + num(trainLoss) + ","
                + num(bytesDownPerClient) + "," + num(bytesUpPerClient) + "," + denseBytes + ","
                + num(subModelParams) + "," + num(sparsity) + "," + num(uploadedValues) + "," + distinctSubModels
                + "," + trainMillis + "," + computeMillisMax + "," + wallMillis;
    }

    private static String num(double d) {
        return Double.isNaN(d) ? "" : Double.toString(d);
    }
}
