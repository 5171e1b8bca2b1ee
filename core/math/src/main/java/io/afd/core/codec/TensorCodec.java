package io.afd.core.codec;

import io.afd.core.tensor.NamedTensor;
import io.afd.core.tensor.SparseTensor;
import io.afd.core.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * Self-describing binary encoding of a list of named tensors ("AFDT" blobs), used for downlink
 * sub-models and uplink updates. {@link #encode} is deterministic: the same tensors, spec and seed
 * give the same bytes.
 *
 * <h2>Wire format, version 1</h2>
 * Conventions: {@code u8} is one byte; {@code varint} is an unsigned LEB128 integer (7 bits per byte,
 * least significant group first, high bit = "more bytes follow") whose value must be in
 * {@code [0, 2^31-1]}, at most 5 bytes long, and minimally encoded (no trailing {@code 0x00} group
 * after the first byte); {@code f32} is IEEE binary32 little-endian; {@code f16} is IEEE binary16
 * little-endian; {@code u64le} is a little-endian 64-bit integer.
 * <pre>
 * blob    := magic version count tensor{count} crc
 * magic   := 0x41 0x46 0x44 0x54                       ("AFDT")
 * version := u8 = 0x01
 * count   := varint                                    number of tensors
 * tensor  := nameLen:varint name:u8[nameLen]           UTF-8, must be valid; names unique in a blob
 *            rank:u8 dim:varint{rank}                  row-major logical shape; rank 0 = scalar (1 element)
 *            encId:u8 params                           see table below
 *            payloadLen:varint payload:u8[payloadLen]
 * crc     := CRC-32C (Castagnoli, java.util.zip.CRC32C) of every preceding byte (magic through the
 *            last payload), 4 bytes big-endian
 * </pre>
 * Let {@code n} be the product of the dims (the logical element count).
 * <table>
 * <caption>Encodings</caption>
 * <tr><th>encId</th><th>name</th><th>params</th><th>payload</th></tr>
 * <tr><td>1</td><td>DENSE_F32</td><td>none</td><td>{@code f32[n]}; payloadLen = 4n</td></tr>
 * <tr><td>2</td><td>DENSE_F16</td><td>none</td><td>{@code f16[n]}; payloadLen = 2n</td></tr>
 * <tr><td>3</td><td>QUANTIZED</td><td>{@code bits:u8} (1..8), {@code flags:u8} (bit 0 = Hadamard
 *     rotation; other bits must be 0)</td>
 *     <td>{@code min:f32 max:f32 [seed:u64le if rotated] levels}; payloadLen = 8 (+8) + ceil(c*bits/8)</td></tr>
 * <tr><td>4</td><td>SPARSE_F32</td><td>none</td>
 *     <td>{@code nnz:varint gap:varint{nnz} value:f32{nnz}}</td></tr>
 * <tr><td>5</td><td>SPARSE_F16</td><td>none</td>
 *     <td>{@code nnz:varint gap:varint{nnz} value:f16{nnz}}</td></tr>
 * </table>
 *
 * <h3>Sparse</h3>
 * Flat row-major indices {@code i_0 < i_1 < ... < i_{nnz-1}}, all {@code < n}, with {@code i_{-1} = -1};
 * {@code gap_k = i_k - i_{k-1} - 1} (so any gap value is valid and indices are strictly increasing by
 * construction). All gaps come first, then all values. Unlisted coordinates are zero. The payload must be
 * consumed exactly.
 *
 * <h3>Quantized</h3>
 * Without rotation the quantized vector {@code y} is the tensor itself and {@code c = n}. With rotation,
 * {@code c = m} = the smallest power of two {@code >= n} ({@code m = 0} when {@code n = 0}), and
 * {@code y = (1/sqrt(m)) H D x0}, where {@code x0} is the tensor zero-padded to {@code m}, {@code D} is
 * diagonal with {@code D[i] = -1} iff bit {@code i mod 64} (bit 0 = least significant) of the
 * {@code floor(i/64)}-th output of SplitMix64 seeded with {@code seed} is set (first output =
 * mix(seed + 0x9E3779B97F4A7C15), see {@link SplitMix64}), and {@code H} is the unnormalized
 * Walsh–Hadamard matrix. {@code min}/{@code max} are the min/max of {@code y} (finite, min &lt;= max).
 * Each {@code y_i} is encoded as a level {@code q_i} in {@code [0, L]}, {@code L = 2^bits - 1}, packed
 * LSB-first: level {@code i} occupies bits {@code [i*bits, (i+1)*bits)} of the bit stream, where stream bit
 * {@code k} is bit {@code k mod 8} of payload byte {@code k/8}; unused bits of the last byte must be zero.
 * The decoded value of level {@code q} is {@code float32(min + (q * (max - min)) / L)} evaluated in
 * binary64 with {@code max - min} computed in binary64, then clamped to {@code [min, max]}. With rotation
 * the decoder then computes {@code x = D (1/sqrt(m)) H y'} (in-place radix-2 butterflies, h = 1, 2, 4, ...,
 * binary32 arithmetic; then scale by float32(1/sqrt(m)); then the signs) and keeps the first {@code n}
 * values. The encoder rounds {@code t = (y_i - min) * L / (max - min)} down or up, up with probability
 * {@code t - floor(t)}, so the decoded value is unbiased; if {@code max == min} all levels are 0.
 *
 * <h3>Decoding limits</h3>
 * Decoders reject (with {@link CodecException}) bad magic, other versions, unknown encoding ids or flags,
 * any truncation, payload lengths that disagree with the encoding, tensors with more than
 * {@code maxTensorElements} elements (default {@value #DEFAULT_MAX_TENSOR_ELEMENTS} = 2^28), rotation of
 * more than 2^30 elements, sparse indices {@code >= n}, {@code nnz > n}, over-long or non-minimal varints,
 * invalid UTF-8, duplicate names, trailing bytes and CRC mismatch. Lengths are checked against the
 * remaining bytes before anything is allocated.
 */
public final class TensorCodec {
    /** "AFDT". */
    public static final byte[] MAGIC = {0x41, 0x46, 0x44, 0x54};

    public static final int FORMAT_VERSION = 1;
    /** Default per-tensor element cap for decoding: 2^28. */
    public static final int DEFAULT_MAX_TENSOR_ELEMENTS = 1 << 28;
    /** Largest tensor the Hadamard rotation accepts: 2^30 elements. */
    public static final int MAX_ROTATED_ELEMENTS = 1 << 30;

    static final int FLAG_ROTATE = 1;
    private static final int HEADER_BYTES = 5; // magic + version
    private static final int CRC_BYTES = 4;
    private static final int MIN_BLOB = HEADER_BYTES + 1 + CRC_BYTES;
    private static final int MIN_TENSOR_BYTES = 4; // nameLen, rank, encId, payloadLen

    private TensorCodec() {}

    // ------------------------------------------------------------------ encoding

    /**
     * Encodes tensors with {@code spec}: dense tensors with {@code spec.dense()} (sparsified first when that
     * is a sparse encoding), sparse tensors with {@code spec.sparse()}.
     *
     * @throws IllegalArgumentException for duplicate names, rank above 255, non-finite values under
     *                                  quantization, or more than 2^30 elements under rotation
     */
    public static byte[] encode(List<? extends NamedTensor> tensors, CodecSpec spec) {
        Objects.requireNonNull(tensors, "tensors");
        Objects.requireNonNull(spec, "spec");
        Entry[] entries = new Entry[tensors.size()];
        Set<String> names = new HashSet<>();
        long total = HEADER_BYTES + varintLength(entries.length) + CRC_BYTES;
        for (int i = 0; i < entries.length; i++) {
            NamedTensor t = Objects.requireNonNull(tensors.get(i), "tensor");
            if (!names.add(t.name())) {
                throw new IllegalArgumentException("duplicate tensor name '" + t.name() + "'");
            }
            Entry e = plan(t, spec.encodingFor(t), tensorSeed(spec.seed(), i));
            entries[i] = e;
            total += e.header.length + varintLength(e.payloadLength) + (long) e.payloadLength;
        }
        if (total > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("encoded blob would be " + total + " bytes, too large for one array");
        }
        byte[] out = new byte[(int) total];
        System.arraycopy(MAGIC, 0, out, 0, 4);
        out[4] = FORMAT_VERSION;
        int p = putVarint(out, HEADER_BYTES, entries.length);
        for (Entry e : entries) {
            System.arraycopy(e.header, 0, out, p, e.header.length);
            p += e.header.length;
            p = putVarint(out, p, e.payloadLength);
            e.writePayload(out, p);
            p += e.payloadLength;
        }
        CRC32C crc = new CRC32C();
        crc.update(out, 0, p);
        int c = (int) crc.getValue();
        out[p] = (byte) (c >>> 24);
        out[p + 1] = (byte) (c >>> 16);
        out[p + 2] = (byte) (c >>> 8);
        out[p + 3] = (byte) c;
        assert p + 4 == out.length;
        return out;
    }

    /** Per-tensor seed: SplitMix64 mix of (spec seed + (index + 1) * golden gamma). */
    static long tensorSeed(long seed, int index) {
        return SplitMix64.mix(seed + SplitMix64.GOLDEN * (index + 1L));
    }

    private abstract static class Entry {
        byte[] header;
        int payloadLength;

        abstract void writePayload(byte[] out, int off);
    }

    private static int checkedLength(long len) {
        if (len > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("tensor payload of " + len + " bytes is too large for one array");
        }
        return (int) len;
    }

    private static Entry plan(NamedTensor t, TensorEncoding enc, long seed) {
        if (t.shape().length > 255) {
            throw new IllegalArgumentException("tensor '" + t.name() + "': rank " + t.shape().length + " exceeds 255");
        }
        Entry e;
        if (enc.isSparse()) {
            SparseTensor s = t instanceof SparseTensor st ? st : sparsify((Tensor) t);
            e = new SparseEntry(s.indices(), s.values(), enc.id() == TensorEncoding.ID_SPARSE_F16);
        } else {
            float[] data = ((Tensor) t).data();
            if (enc instanceof TensorEncoding.DenseF32) {
                e = new DenseF32Entry(data);
            } else if (enc instanceof TensorEncoding.DenseF16) {
                e = new DenseF16Entry(data);
            } else {
                e = quantizedEntry(t.name(), data, (TensorEncoding.Quantized) enc, seed);
            }
        }
        e.header = header(t, enc);
        return e;
    }

    private static byte[] header(NamedTensor t, TensorEncoding enc) {
        byte[] name = t.name().getBytes(StandardCharsets.UTF_8);
        int[] shape = t.shape();
        byte[] h = new byte[5 + name.length + 1 + 5 * shape.length + 3];
        int p = putVarint(h, 0, name.length);
        System.arraycopy(name, 0, h, p, name.length);
        p += name.length;
        h[p++] = (byte) shape.length;
        for (int d : shape) {
            p = putVarint(h, p, d);
        }
        h[p++] = (byte) enc.id();
        if (enc instanceof TensorEncoding.Quantized q) {
            h[p++] = (byte) q.bits();
            h[p++] = (byte) (q.rotate() ? FLAG_ROTATE : 0);
        }
        return Arrays.copyOf(h, p);
    }

    /** Keeps the entries whose bits are not +0.0 (so -0.0 and NaN survive). */
    static SparseTensor sparsify(Tensor t) {
        float[] d = t.data();
        int nnz = 0;
        for (float v : d) {
            if (Float.floatToRawIntBits(v) != 0) {
                nnz++;
            }
        }
        int[] idx = new int[nnz];
        float[] val = new float[nnz];
        int k = 0;
        for (int i = 0; i < d.length; i++) {
            if (Float.floatToRawIntBits(d[i]) != 0) {
                idx[k] = i;
                val[k++] = d[i];
            }
        }
        return new SparseTensor(t.name(), t.shape(), idx, val);
    }

    private static final class DenseF32Entry extends Entry {
        private final float[] data;

        DenseF32Entry(float[] data) {
            this.data = data;
            this.payloadLength = checkedLength(4L * data.length);
        }

        @Override
        void writePayload(byte[] out, int off) {
            ByteBuffer.wrap(out, off, payloadLength)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer()
                    .put(data);
        }
    }

    private static final class DenseF16Entry extends Entry {
        private final float[] data;

        DenseF16Entry(float[] data) {
            this.data = data;
            this.payloadLength = checkedLength(2L * data.length);
        }

        @Override
        void writePayload(byte[] out, int off) {
            Float16.encode(data, 0, data.length, out, off);
        }
    }

    private static final class SparseEntry extends Entry {
        private final int[] indices;
        private final float[] values;
        private final boolean half;

        SparseEntry(int[] indices, float[] values, boolean half) {
            this.indices = indices;
            this.values = values;
            this.half = half;
            long len = varintLength(indices.length);
            int prev = -1;
            for (int idx : indices) {
                len += varintLength(idx - prev - 1);
                prev = idx;
            }
            len += (long) values.length * (half ? 2 : 4);
            this.payloadLength = checkedLength(len);
        }

        @Override
        void writePayload(byte[] out, int off) {
            int p = putVarint(out, off, indices.length);
            int prev = -1;
            for (int idx : indices) {
                p = putVarint(out, p, idx - prev - 1);
                prev = idx;
            }
            if (half) {
                Float16.encode(values, 0, values.length, out, p);
            } else {
                ByteBuffer.wrap(out, p, 4 * values.length)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .asFloatBuffer()
                        .put(values);
            }
        }
    }

    private static Entry quantizedEntry(String name, float[] data, TensorEncoding.Quantized q, long seed) {
        int n = data.length;
        long rotationSeed = seed;
        long roundingSeed = SplitMix64.mix(seed ^ 0x5DEE_CE66_DL);
        float[] y;
        if (q.rotate()) {
            if (n > MAX_ROTATED_ELEMENTS) {
                throw new IllegalArgumentException(
                        "tensor '" + name + "': " + n + " elements exceed the rotation limit " + MAX_ROTATED_ELEMENTS);
            }
            y = Arrays.copyOf(data, Hadamard.paddedLength(n));
            Hadamard.rotate(y, rotationSeed);
        } else {
            y = data;
        }
        float[] range;
        try {
            range = Quantizer.range(y);
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("tensor '" + name + "': " + ex.getMessage(), ex);
        }
        int payloadLen = checkedLength(8 + (q.rotate() ? 8 : 0) + Quantizer.packedBytes(y.length, q.bits()));
        return new Entry() {
            {
                payloadLength = payloadLen;
            }

            @Override
            void writePayload(byte[] out, int off) {
                ByteBuffer bb = ByteBuffer.wrap(out, off, payloadLength).order(ByteOrder.LITTLE_ENDIAN);
                bb.putFloat(range[0]).putFloat(range[1]);
                if (q.rotate()) {
                    bb.putLong(rotationSeed);
                }
                Quantizer.quantizeInto(y, range[0], range[1], q.bits(), roundingSeed, out, bb.position());
            }
        };
    }

    // ------------------------------------------------------------------ decoding

    /** Decodes a blob with the default element cap; dense encodings give {@link Tensor}, sparse give {@link SparseTensor}. */
    public static List<NamedTensor> decode(byte[] blob) {
        return decode(blob, DEFAULT_MAX_TENSOR_ELEMENTS);
    }

    /**
     * Decodes a blob, rejecting any tensor whose logical element count exceeds {@code maxTensorElements}.
     *
     * @throws CodecException if the blob is malformed in any way
     */
    public static List<NamedTensor> decode(byte[] blob, int maxTensorElements) {
        Objects.requireNonNull(blob, "blob");
        if (maxTensorElements < 0) {
            throw new IllegalArgumentException("maxTensorElements must be >= 0, got " + maxTensorElements);
        }
        List<Header> headers = parseHeaders(blob, maxTensorElements);
        List<NamedTensor> out = new ArrayList<>(headers.size());
        for (Header h : headers) {
            out.add(decodePayload(blob, h));
        }
        return out;
    }

    /** Decodes a blob (default element cap) and densifies sparse tensors. */
    public static List<Tensor> decodeDense(byte[] blob) {
        return decodeDense(blob, DEFAULT_MAX_TENSOR_ELEMENTS);
    }

    /** Decodes a blob and densifies sparse tensors; the cap also bounds each densified array. */
    public static List<Tensor> decodeDense(byte[] blob, int maxTensorElements) {
        List<NamedTensor> list = decode(blob, maxTensorElements);
        List<Tensor> out = new ArrayList<>(list.size());
        for (NamedTensor t : list) {
            out.add(t.toDense());
        }
        return out;
    }

    /**
     * What a blob's header says of one tensor, read without decoding any payload.
     *
     * @param name         the tensor's name
     * @param shape        its logical shape
     * @param encoding     how its payload is encoded
     * @param payloadBytes the encoded payload's length
     */
    public record TensorHeader(String name, int[] shape, TensorEncoding encoding, int payloadBytes) {
        public TensorHeader {
            shape = shape.clone();
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }

        /** The logical element count (the product of the shape). */
        public int size() {
            int n = 1;
            for (int d : shape) {
                n *= d;
            }
            return n;
        }
    }

    /**
     * The headers of a blob's tensors, fully validated (magic, version, lengths, checksums, element
     * cap) but with no payload decoded: a receiver checks names, shapes and encodings against what it
     * expects before it spends memory on expanding payloads (a 1-bit tensor grows 32-fold).
     *
     * @throws CodecException if the blob is malformed in any way
     */
    public static List<TensorHeader> headers(byte[] blob, int maxTensorElements) {
        Objects.requireNonNull(blob, "blob");
        if (maxTensorElements < 0) {
            throw new IllegalArgumentException("maxTensorElements must be >= 0, got " + maxTensorElements);
        }
        List<TensorHeader> out = new ArrayList<>();
        for (Header h : parseHeaders(blob, maxTensorElements)) {
            out.add(new TensorHeader(h.name(), h.shape(), h.encoding(), h.payloadLength()));
        }
        return out;
    }

    /** Parsed tensor header; payload located at [payloadOffset, payloadOffset + payloadLength). */
    private record Header(
            int ordinal,
            int count,
            String name,
            int[] shape,
            int size,
            TensorEncoding encoding,
            int headerOffset,
            int payloadOffset,
            int payloadLength) {
        String where() {
            return "tensor " + (ordinal + 1) + " of " + count + " '" + name + "' (header at offset " + headerOffset
                    + ")";
        }
    }

    private static List<Header> parseHeaders(byte[] blob, int maxElements) {
        int len = blob.length;
        for (int i = 0; i < Math.min(4, len); i++) {
            if (blob[i] != MAGIC[i]) {
                throw new CodecException(
                        "bad magic: expected 41 46 44 54 ('AFDT'), got " + hex(blob, 0, Math.min(4, len)));
            }
        }
        if (len < MIN_BLOB) {
            throw new CodecException("blob truncated: " + len + " bytes, a valid blob has at least " + MIN_BLOB);
        }
        int version = blob[4] & 0xFF;
        if (version != FORMAT_VERSION) {
            throw new CodecException(
                    "unsupported format version " + version + " (this decoder reads version " + FORMAT_VERSION + ")");
        }
        Reader r = new Reader(blob, HEADER_BYTES, len - CRC_BYTES);
        r.where = "blob header";
        int count = r.varint("tensor count");
        if (count > r.remaining() / MIN_TENSOR_BYTES) {
            throw r.fail("tensor count " + count + " cannot fit in the remaining " + r.remaining()
                    + " bytes (each tensor needs at least " + MIN_TENSOR_BYTES + ")");
        }
        List<Header> headers = new ArrayList<>(count);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < count; i++) {
            int start = r.pos;
            r.where = "tensor " + (i + 1) + " of " + count + " (header at offset " + start + ")";
            int nameLen = r.varint("name length");
            r.need(nameLen, "name");
            String name = utf8(r, nameLen);
            r.where = "tensor " + (i + 1) + " of " + count + " '" + name + "' (header at offset " + start + ")";
            if (!names.add(name)) {
                throw r.fail("duplicate tensor name");
            }
            int rank = r.u8("rank");
            r.need(rank, "dims"); // each dim is at least one byte
            int[] shape = new int[rank];
            long size = 1;
            for (int d = 0; d < rank; d++) {
                shape[d] = r.varint("dim " + d);
                size = Math.min(size * shape[d], (long) maxElements + 1); // cannot overflow: both < 2^31
            }
            if (size > maxElements) {
                throw r.fail(
                        "shape " + Arrays.toString(shape) + " has more than the allowed " + maxElements + " elements");
            }
            TensorEncoding enc = readEncoding(r, (int) size);
            int payloadLen = r.varint("payload length");
            long expected = expectedPayloadLength(enc, (int) size);
            if (expected >= 0 && payloadLen != expected) {
                throw r.fail("payload length " + payloadLen + " does not match " + enc + " with " + size
                        + " elements (expected " + expected + ")");
            }
            r.need(payloadLen, "payload");
            headers.add(new Header(i, count, name, shape, (int) size, enc, start, r.pos, payloadLen));
            r.pos += payloadLen;
        }
        if (r.pos != r.end) {
            throw new CodecException("blob has " + (r.end - r.pos) + " trailing bytes after the last of " + count
                    + " tensors (at offset " + r.pos + ", before the 4-byte CRC)");
        }
        CRC32C crc = new CRC32C();
        crc.update(blob, 0, r.end);
        int stored = ((blob[r.end] & 0xFF) << 24)
                | ((blob[r.end + 1] & 0xFF) << 16)
                | ((blob[r.end + 2] & 0xFF) << 8)
                | (blob[r.end + 3] & 0xFF);
        int computed = (int) crc.getValue();
        if (stored != computed) {
            throw new CodecException(String.format(
                    "CRC-32C mismatch: stored 0x%08x, computed 0x%08x over %d bytes", stored, computed, r.end));
        }
        return headers;
    }

    private static TensorEncoding readEncoding(Reader r, int size) {
        int id = r.u8("encoding id");
        switch (id) {
            case TensorEncoding.ID_DENSE_F32:
                return TensorEncoding.DENSE_F32;
            case TensorEncoding.ID_DENSE_F16:
                return TensorEncoding.DENSE_F16;
            case TensorEncoding.ID_SPARSE_F32:
                return TensorEncoding.SPARSE_F32;
            case TensorEncoding.ID_SPARSE_F16:
                return TensorEncoding.SPARSE_F16;
            case TensorEncoding.ID_QUANTIZED: {
                int bits = r.u8("quantization bits");
                int flags = r.u8("quantization flags");
                if (bits < 1 || bits > 8) {
                    throw r.fail("quantization bits " + bits + " not in 1..8");
                }
                if ((flags & ~FLAG_ROTATE) != 0) {
                    throw r.fail("unknown quantization flags 0x" + Integer.toHexString(flags));
                }
                boolean rotate = (flags & FLAG_ROTATE) != 0;
                if (rotate && size > MAX_ROTATED_ELEMENTS) {
                    throw r.fail(size + " elements exceed the rotation limit " + MAX_ROTATED_ELEMENTS);
                }
                return new TensorEncoding.Quantized(bits, rotate);
            }
            default:
                throw r.fail("unknown encoding id " + id);
        }
    }

    /** Exact payload length for fixed-size encodings, -1 for sparse. */
    private static long expectedPayloadLength(TensorEncoding enc, int size) {
        if (enc instanceof TensorEncoding.DenseF32) {
            return 4L * size;
        }
        if (enc instanceof TensorEncoding.DenseF16) {
            return 2L * size;
        }
        if (enc instanceof TensorEncoding.Quantized q) {
            int c = q.rotate() ? Hadamard.paddedLength(size) : size;
            return 8 + (q.rotate() ? 8 : 0) + Quantizer.packedBytes(c, q.bits());
        }
        return -1;
    }

    private static NamedTensor decodePayload(byte[] blob, Header h) {
        int off = h.payloadOffset();
        int n = h.size();
        TensorEncoding enc = h.encoding();
        if (enc instanceof TensorEncoding.DenseF32) {
            float[] data = new float[n];
            ByteBuffer.wrap(blob, off, h.payloadLength())
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer()
                    .get(data);
            return new Tensor(h.name(), h.shape(), data);
        }
        if (enc instanceof TensorEncoding.DenseF16) {
            float[] data = new float[n];
            Float16.decode(blob, off, data, 0, n);
            return new Tensor(h.name(), h.shape(), data);
        }
        if (enc instanceof TensorEncoding.Quantized q) {
            return decodeQuantized(blob, h, q);
        }
        return decodeSparse(blob, h, enc.id() == TensorEncoding.ID_SPARSE_F16);
    }

    private static Tensor decodeQuantized(byte[] blob, Header h, TensorEncoding.Quantized q) {
        ByteBuffer bb =
                ByteBuffer.wrap(blob, h.payloadOffset(), h.payloadLength()).order(ByteOrder.LITTLE_ENDIAN);
        float min = bb.getFloat();
        float max = bb.getFloat();
        if (!Float.isFinite(min) || !Float.isFinite(max) || !(min <= max)) {
            throw new CodecException(h.where() + ": invalid quantization range [" + min + ", " + max + "]");
        }
        long seed = q.rotate() ? bb.getLong() : 0L;
        int n = h.size();
        int c = q.rotate() ? Hadamard.paddedLength(n) : n;
        float[] y = new float[c];
        if (!Quantizer.unpack(blob, bb.position(), c, q.bits(), Quantizer.levelValues(min, max, q.bits()), y)) {
            throw new CodecException(h.where() + ": non-zero padding bits after the last quantized level");
        }
        if (q.rotate()) {
            Hadamard.unrotate(y, seed);
            if (c != n) {
                y = Arrays.copyOf(y, n);
            }
        }
        return new Tensor(h.name(), h.shape(), y);
    }

    private static SparseTensor decodeSparse(byte[] blob, Header h, boolean half) {
        Reader r = new Reader(blob, h.payloadOffset(), h.payloadOffset() + h.payloadLength());
        r.where = h.where() + " payload";
        int n = h.size();
        int nnz = r.varint("nnz");
        int valueBytes = half ? 2 : 4;
        if (nnz > n) {
            throw r.fail("nnz " + nnz + " exceeds the tensor size " + n);
        }
        if ((long) nnz * (1 + valueBytes) > r.remaining()) {
            throw r.fail("payload truncated: " + nnz + " index/value pairs need at least "
                    + (long) nnz * (1 + valueBytes) + " bytes, " + r.remaining() + " left");
        }
        int[] idx = new int[nnz];
        long prev = -1;
        for (int k = 0; k < nnz; k++) {
            long i = prev + 1 + r.varint("index gap");
            if (i >= n) {
                throw r.fail("sparse index " + i + " (entry " + k + ") out of range [0, " + n + ")");
            }
            idx[k] = (int) i;
            prev = i;
        }
        long need = (long) nnz * valueBytes;
        if (r.remaining() != need) {
            throw r.fail("values need " + need + " bytes but " + r.remaining() + " bytes are left in the payload");
        }
        float[] val = new float[nnz];
        if (half) {
            Float16.decode(blob, r.pos, val, 0, nnz);
        } else {
            ByteBuffer.wrap(blob, r.pos, (int) need)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer()
                    .get(val);
        }
        return new SparseTensor(h.name(), h.shape(), idx, val);
    }

    private static String utf8(Reader r, int len) {
        try {
            CharBuffer cb = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(r.buf, r.pos, len));
            r.pos += len;
            return cb.toString();
        } catch (CharacterCodingException e) {
            throw r.fail("tensor name is not valid UTF-8");
        }
    }

    private static String hex(byte[] b, int off, int len) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < len; i++) {
            sb.append(i == 0 ? "" : " ").append(String.format("%02x", b[off + i] & 0xFF));
        }
        return sb.length() == 0 ? "(nothing)" : sb.toString();
    }

    // ------------------------------------------------------------------ varints and bounded reading

    static int varintLength(int v) {
        if (v < 0) {
            throw new IllegalArgumentException("varint value must be >= 0, got " + v);
        }
        return v < (1 << 7) ? 1 : v < (1 << 14) ? 2 : v < (1 << 21) ? 3 : v < (1 << 28) ? 4 : 5;
    }

    static int putVarint(byte[] out, int p, int v) {
        while ((v & ~0x7F) != 0) {
            out[p++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out[p++] = (byte) v;
        return p;
    }

    /** Bounded reader over blob[pos, end) that reports errors with a location. */
    private static final class Reader {
        final byte[] buf;
        int pos;
        final int end;
        String where = "";

        Reader(byte[] buf, int pos, int end) {
            this.buf = buf;
            this.pos = pos;
            this.end = end;
        }

        int remaining() {
            return end - pos;
        }

        CodecException fail(String msg) {
            return new CodecException(where + ": " + msg);
        }

        void need(long n, String what) {
            if (n > end - pos) {
                throw fail(what + " truncated: need " + n + " bytes, " + (end - pos) + " left (at offset " + pos + ")");
            }
        }

        int u8(String what) {
            need(1, what);
            return buf[pos++] & 0xFF;
        }

        int varint(String what) {
            long v = 0;
            for (int i = 0; ; i++) {
                if (pos >= end) {
                    throw fail(what + " truncated: varint needs more bytes, 0 left (at offset " + pos + ")");
                }
                int b = buf[pos++] & 0xFF;
                v |= (long) (b & 0x7F) << (7 * i);
                if ((b & 0x80) == 0) {
                    if (b == 0 && i > 0) {
                        throw fail(what + ": non-minimal varint ending at offset " + (pos - 1));
                    }
                    if (v > Integer.MAX_VALUE) {
                        throw fail(what + ": varint value " + v + " exceeds 2^31-1 (at offset " + (pos - 1) + ")");
                    }
                    return (int) v;
                }
                if (i == 4) {
                    throw fail(what + ": varint too long (more than 5 bytes) at offset " + (pos - 5));
                }
            }
        }
    }
}
