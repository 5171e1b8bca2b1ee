package io.afd.core.codec;

import java.util.Objects;

/**
 * What an encoder uses: the encoding for dense {@link io.afd.core.tensor.Tensor} inputs, the encoding
 * for {@link io.afd.core.tensor.SparseTensor} inputs, and a seed for stochastic rounding and rotation.
 *
 * <p>Config strings ({@link #parse}, {@link #toString}):
 * <ul>
 * <li>{@code float32}: dense tensors as float32, sparse tensors as {@code sparse-f32} (lossless);</li>
 * <li>{@code float16}: dense as float16, sparse as {@code sparse-f16};</li>
 * <li>{@code q<b>} / {@code q<b>-hadamard} ({@code b} in 1..8, e.g. {@code q8}, {@code q4},
 *     {@code q2}, {@code q8-hadamard}): dense tensors quantized, sparse tensors as {@code sparse-f32};</li>
 * <li>{@code sparse-f32} / {@code sparse-f16}: every tensor goes on the wire sparse; dense inputs are
 *     sparsified by keeping the entries whose bits are not {@code +0.0} (so {@code -0.0} survives) and
 *     decode as {@code SparseTensor};</li>
 * <li>{@code <dense>+<sparse>} overrides the sparse-tensor encoding, e.g. {@code q8+sparse-f16}.</li>
 * </ul>
 * {@code toString()} returns the shortest such string (the suffix is printed only when it differs from
 * the default), so {@code parse(s).toString().equals(s)} for each canonical string above. The seed is
 * not part of the string; use {@link #parse(String, long)} or {@link #withSeed}. Callers that want
 * independent stochastic rounding per round/client must vary the seed.
 *
 * @param dense  encoding for dense inputs; may be sparse (dense inputs are then sparsified)
 * @param sparse encoding for sparse inputs; must be {@code SPARSE_F32} or {@code SPARSE_F16}
 * @param seed   seed for stochastic rounding and Hadamard rotation signs
 */
public record CodecSpec(TensorEncoding dense, TensorEncoding sparse, long seed) {

    public static final CodecSpec FLOAT32 = new CodecSpec(TensorEncoding.DENSE_F32, TensorEncoding.SPARSE_F32, 0);
    public static final CodecSpec FLOAT16 = new CodecSpec(TensorEncoding.DENSE_F16, TensorEncoding.SPARSE_F16, 0);
    public static final CodecSpec SPARSE_F32 = new CodecSpec(TensorEncoding.SPARSE_F32, TensorEncoding.SPARSE_F32, 0);
    public static final CodecSpec SPARSE_F16 = new CodecSpec(TensorEncoding.SPARSE_F16, TensorEncoding.SPARSE_F16, 0);

    public CodecSpec {
        Objects.requireNonNull(dense, "dense");
        Objects.requireNonNull(sparse, "sparse");
        if (!sparse.isSparse()) {
            throw new IllegalArgumentException(
                    "encoding for sparse tensors must be sparse-f32 or sparse-f16, got " + sparse);
        }
    }

    /** A spec with the default sparse encoding for {@code dense} and seed 0. */
    public static CodecSpec of(TensorEncoding dense) {
        return new CodecSpec(dense, defaultSparseFor(dense), 0);
    }

    /** {@code q<bits>} or {@code q<bits>-hadamard} with seed 0. */
    public static CodecSpec quantized(int bits, boolean rotate) {
        return of(TensorEncoding.quantized(bits, rotate));
    }

    /** Parses a config string (see class doc) with seed 0. */
    public static CodecSpec parse(String s) {
        return parse(s, 0L);
    }

    /** Parses a config string (see class doc) with the given seed. */
    public static CodecSpec parse(String s, long seed) {
        Objects.requireNonNull(s, "spec");
        int plus = s.indexOf('+');
        try {
            if (plus < 0) {
                TensorEncoding d = TensorEncoding.parse(s);
                return new CodecSpec(d, defaultSparseFor(d), seed);
            }
            TensorEncoding d = TensorEncoding.parse(s.substring(0, plus));
            TensorEncoding sp = TensorEncoding.parse(s.substring(plus + 1));
            return new CodecSpec(d, sp, seed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad codec spec '" + s + "': " + e.getMessage(), e);
        }
    }

    public CodecSpec withSeed(long newSeed) {
        return new CodecSpec(dense, sparse, newSeed);
    }

    /** Encoding used for one input tensor of this spec. */
    public TensorEncoding encodingFor(io.afd.core.tensor.NamedTensor t) {
        return t instanceof io.afd.core.tensor.SparseTensor ? sparse : dense;
    }

    private static TensorEncoding defaultSparseFor(TensorEncoding dense) {
        return dense instanceof TensorEncoding.DenseF16 || dense instanceof TensorEncoding.SparseF16
                ? TensorEncoding.SPARSE_F16
                : TensorEncoding.SPARSE_F32;
    }

    /** Config string without the seed, e.g. {@code q8-hadamard} or {@code q8+sparse-f16}. */
    @Override
    public String toString() {
        String s = dense.configName();
        return sparse.equals(defaultSparseFor(dense)) ? s : s + "+" + sparse.configName();
    }
}
