/**
 * Self-describing binary encodings ("AFDT" blobs) of model weights and updates, for the downlink
 * (dense sub-models) and the uplink (sparse Deep Gradient Compression updates or dense updates).
 * Every byte on the wire is counted, so the encodings are compact and all bit work is done on plain
 * Java arrays.
 *
 * <ul>
 * <li>{@link io.afd.core.codec.TensorCodec}: {@code encode}/{@code decode}; its class Javadoc is the wire
 *     protocol (magic {@code AFDT}, version 1, varint framing, CRC-32C trailer).</li>
 * <li>{@link io.afd.core.codec.TensorEncoding}: dense float32, dense float16 (IEEE binary16,
 *     {@link io.afd.core.codec.Float16}), q-bit stochastic uniform quantization with an optional
 *     randomized Hadamard rotation, and sparse (delta + LEB128 varint indices, float32/float16 values).</li>
 * <li>{@link io.afd.core.codec.CodecSpec}: the config string ({@code float32}, {@code float16},
 *     {@code q8}, {@code q8-hadamard}, {@code sparse-f32}, ...) plus a seed.</li>
 * </ul>
 *
 * <p>References: S. Caldas, J. Konečný, H. B. McMahan, A. Talwalkar, "Expanding the Reach of Federated
 * Learning by Reducing Client Resource Requirements", arXiv:1812.07210 (2018) — Federated Dropout with
 * lossy compression via randomized Hadamard rotation and q-bit quantization; J. Konečný, H. B. McMahan,
 * F. X. Yu, P. Richtárik, A. T. Suresh, D. Bacon, "Federated Learning: Strategies for Improving
 * Communication Efficiency", arXiv:1610.05492 (2016) — structured random rotations and unbiased
 * probabilistic quantization; Y. Lin, S. Han, H. Mao, Y. Wang, W. J. Dally, "Deep Gradient
 * Compression", arXiv:1712.01887 (2018) — the 99.9 % sparse updates the sparse encodings carry.
 */
package io.afd.core.codec;
