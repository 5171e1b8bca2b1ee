package io.afd.protocol;

/**
 * The header of one envelope: one of the four message records. Each is immutable, validates every
 * field in its constructor ({@link IllegalArgumentException} naming the field), and maps to and from
 * the header JSON of docs/protocol.md through {@link ProtocolJson}.
 */
public sealed interface Message permits ClientTask, ClientUpdate, RoundEvent, DeadLetter {

    /** The envelope type byte this header travels under. */
    MessageType messageType();

    /**
     * Whose key signs the envelope: the {@code clientId} for client updates, {@link EnvelopeCodec#SERVER} for
     * client tasks, round events and dead letters.
     */
    String signer();
}
