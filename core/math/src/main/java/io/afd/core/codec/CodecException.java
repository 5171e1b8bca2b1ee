package io.afd.core.codec;

/**
 * Thrown when a blob cannot be decoded: bad magic, unsupported version, unknown encoding, truncated
 * or oversized fields, CRC mismatch, trailing bytes, invalid sparse indices, and so on. The message
 * says what is wrong and where (tensor number, name and byte offset when known).
 */
public class CodecException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public CodecException(String message) {
        super(message);
    }
}
