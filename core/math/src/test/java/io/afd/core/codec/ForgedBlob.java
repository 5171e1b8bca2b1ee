package io.afd.core.codec;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/** Test helper that writes blobs byte by byte, so malformed-but-CRC-valid inputs can be forged. */
final class ForgedBlob {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static ForgedBlob header(int count) {
        return new ForgedBlob().raw(0x41, 0x46, 0x44, 0x54, 0x01).varint(count);
    }

    ForgedBlob raw(int... bytes) {
        for (int b : bytes) {
            out.write(b);
        }
        return this;
    }

    ForgedBlob varint(long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
        return this;
    }

    ForgedBlob name(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        varint(b.length);
        out.writeBytes(b);
        return this;
    }

    ForgedBlob shape(long... dims) {
        out.write(dims.length);
        for (long d : dims) {
            varint(d);
        }
        return this;
    }

    ForgedBlob f32(float... vs) {
        ByteBuffer bb = ByteBuffer.allocate(4 * vs.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : vs) {
            bb.putFloat(v);
        }
        out.writeBytes(bb.array());
        return this;
    }

    int size() {
        return out.size();
    }

    /** Appends a correct CRC-32C. */
    byte[] seal() {
        return withCrc(out.toByteArray());
    }

    /** Appends a correct CRC-32C to arbitrary body bytes. */
    static byte[] withCrc(byte[] body) {
        CRC32C crc = new CRC32C();
        crc.update(body, 0, body.length);
        int c = (int) crc.getValue();
        byte[] b = java.util.Arrays.copyOf(body, body.length + 4);
        b[body.length] = (byte) (c >>> 24);
        b[body.length + 1] = (byte) (c >>> 16);
        b[body.length + 2] = (byte) (c >>> 8);
        b[body.length + 3] = (byte) c;
        return b;
    }

    /** Replaces the trailing CRC of a blob after its body was tampered with. */
    static byte[] reseal(byte[] blob) {
        return withCrc(java.util.Arrays.copyOf(blob, blob.length - 4));
    }
}
