package io.afd.core.codec;

import java.util.Locale;

/**
 * How one tensor is encoded on the wire. Each encoding has a one-byte wire id (see
 * {@link TensorCodec} for the payload layouts) and a config name used by {@link CodecSpec}.
 *
 * <table>
 * <caption>Encodings</caption>
 * <tr><th>id</th><th>config name</th><th>record</th><th>lossless</th></tr>
 * <tr><td>1</td><td>{@code float32}</td><td>{@link DenseF32}</td><td>yes</td></tr>
 * <tr><td>2</td><td>{@code float16}</td><td>{@link DenseF16}</td><td>no</td></tr>
 * <tr><td>3</td><td>{@code q<bits>} / {@code q<bits>-hadamard}</td><td>{@link Quantized}</td><td>no</td></tr>
 * <tr><td>4</td><td>{@code sparse-f32}</td><td>{@link SparseF32}</td><td>yes</td></tr>
 * <tr><td>5</td><td>{@code sparse-f16}</td><td>{@link SparseF16}</td><td>no</td></tr>
 * </table>
 */
public sealed interface TensorEncoding
        permits TensorEncoding.DenseF32,
                TensorEncoding.DenseF16,
                TensorEncoding.Quantized,
                TensorEncoding.SparseF32,
                TensorEncoding.SparseF16 {

    int ID_DENSE_F32 = 1;
    int ID_DENSE_F16 = 2;
    int ID_QUANTIZED = 3;
    int ID_SPARSE_F32 = 4;
    int ID_SPARSE_F16 = 5;

    DenseF32 DENSE_F32 = new DenseF32();
    DenseF16 DENSE_F16 = new DenseF16();
    SparseF32 SPARSE_F32 = new SparseF32();
    SparseF16 SPARSE_F16 = new SparseF16();

    /** Wire id (u8). */
    int id();

    /** Config name, e.g. {@code float16}, {@code q8-hadamard}, {@code sparse-f32}. Same as {@code toString()}. */
    String configName();

    /** True for the sparse encodings (index + value pairs). */
    boolean isSparse();

    /** True when decoding gives back exactly the encoded float bits. */
    boolean isLossless();

    /** q-bit stochastic uniform quantization, optionally after a randomized Hadamard rotation. */
    static Quantized quantized(int bits, boolean rotate) {
        return new Quantized(bits, rotate);
    }

    /**
     * Parses a config name: {@code float32}, {@code float16}, {@code q1}..{@code q8}, optionally with
     * {@code -hadamard} (e.g. {@code q8-hadamard}), {@code sparse-f32}, {@code sparse-f16}. Case-insensitive.
     */
    static TensorEncoding parse(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        switch (t) {
            case "float32":
                return DENSE_F32;
            case "float16":
                return DENSE_F16;
            case "sparse-f32":
                return SPARSE_F32;
            case "sparse-f16":
                return SPARSE_F16;
            default:
                break;
        }
        if (t.startsWith("q")) {
            boolean rotate = t.endsWith("-hadamard");
            String digits = t.substring(1, rotate ? t.length() - "-hadamard".length() : t.length());
            if (digits.length() == 1 && digits.charAt(0) >= '1' && digits.charAt(0) <= '8') {
                return new Quantized(digits.charAt(0) - '0', rotate);
            }
        }
        throw new IllegalArgumentException("unknown tensor encoding '" + s
                + "' (expected float32, float16, q1..q8, q1-hadamard..q8-hadamard, sparse-f32 or sparse-f16)");
    }

    /** Lossless dense float32, little-endian. */
    record DenseF32() implements TensorEncoding {
        @Override
        public int id() {
            return ID_DENSE_F32;
        }

        @Override
        public String configName() {
            return "float32";
        }

        @Override
        public boolean isSparse() {
            return false;
        }

        @Override
        public boolean isLossless() {
            return true;
        }

        @Override
        public String toString() {
            return configName();
        }
    }

    /** Dense IEEE binary16, round to nearest even, little-endian. */
    record DenseF16() implements TensorEncoding {
        @Override
        public int id() {
            return ID_DENSE_F16;
        }

        @Override
        public String configName() {
            return "float16";
        }

        @Override
        public boolean isSparse() {
            return false;
        }

        @Override
        public boolean isLossless() {
            return false;
        }

        @Override
        public String toString() {
            return configName();
        }
    }

    /**
     * Unbiased q-bit stochastic uniform quantization between the tensor's min and max (Caldas et al.
     * 2018; Konečný et al. 2016), optionally after a randomized Hadamard rotation.
     *
     * @param bits   bits per value, 1..8 (2^bits levels)
     * @param rotate apply a seeded random-sign Hadamard rotation before quantizing
     */
    record Quantized(int bits, boolean rotate) implements TensorEncoding {
        public Quantized {
            if (bits < 1 || bits > 8) {
                throw new IllegalArgumentException("quantization bits must be in 1..8, got " + bits);
            }
        }

        @Override
        public int id() {
            return ID_QUANTIZED;
        }

        @Override
        public String configName() {
            return "q" + bits + (rotate ? "-hadamard" : "");
        }

        @Override
        public boolean isSparse() {
            return false;
        }

        @Override
        public boolean isLossless() {
            return false;
        }

        @Override
        public String toString() {
            return configName();
        }
    }

    /** Sparse: delta-varint indices, float32 values. Lossless. */
    record SparseF32() implements TensorEncoding {
        @Override
        public int id() {
            return ID_SPARSE_F32;
        }

        @Override
        public String configName() {
            return "sparse-f32";
        }

        @Override
        public boolean isSparse() {
            return true;
        }

        @Override
        public boolean isLossless() {
            return true;
        }

        @Override
        public String toString() {
            return configName();
        }
    }

    /** Sparse: delta-varint indices, binary16 values. */
    record SparseF16() implements TensorEncoding {
        @Override
        public int id() {
            return ID_SPARSE_F16;
        }

        @Override
        public String configName() {
            return "sparse-f16";
        }

        @Override
        public boolean isSparse() {
            return true;
        }

        @Override
        public boolean isLossless() {
            return false;
        }

        @Override
        public String toString() {
            return configName();
        }
    }
}
