package io.afd.protocol;

/** The envelope's message-type byte, the header record it carries, and the topic it is produced to. */
public enum MessageType {
    /** Server to client: a round's training task; payload = the sub-model (AFDT, dense). */
    CLIENT_TASK(1, ClientTask.class, Topics.TASKS),
    /** Client to server: a trained update; payload = the weight delta (AFDT, sparse or dense). */
    CLIENT_UPDATE(2, ClientUpdate.class, Topics.UPDATES),
    /** Round lifecycle event between services; payload empty. */
    ROUND_EVENT(3, RoundEvent.class, Topics.ROUNDS),
    /** A rejected record with its reason; payload = the rejected record's value (may be empty). */
    DEAD_LETTER(4, DeadLetter.class, Topics.DEAD_LETTER);

    private final int code;
    private final Class<? extends Message> headerClass;
    private final String topic;

    MessageType(int code, Class<? extends Message> headerClass, String topic) {
        this.code = code;
        this.headerClass = headerClass;
        this.topic = topic;
    }

    /** The u8 in the envelope. */
    public int code() {
        return code;
    }

    public Class<? extends Message> headerClass() {
        return headerClass;
    }

    /** Default topic (see {@link Topics}; tasks may instead go to a per-client topic). */
    public String topic() {
        return topic;
    }

    /** True when the envelope is signed with a client's key (signer = the header's {@code clientId}). */
    public boolean signedByClient() {
        return this == CLIENT_UPDATE;
    }

    /** The type of a type byte, or {@code null} when unknown. */
    public static MessageType fromCode(int code) {
        for (MessageType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
