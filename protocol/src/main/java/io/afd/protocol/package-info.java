/**
 * The AFD Suite wire protocol, shared by every service and the edge-client SDK: Kafka {@link
 * io.afd.protocol.Topics topics and keys}, the four message headers ({@link io.afd.protocol.ClientTask},
 * {@link io.afd.protocol.ClientUpdate}, {@link io.afd.protocol.RoundEvent}, {@link
 * io.afd.protocol.DeadLetter}) with strict JSON mapping ({@link io.afd.protocol.ProtocolJson}), the
 * signed binary envelope ({@link io.afd.protocol.EnvelopeCodec}), chunking ({@link
 * io.afd.protocol.Chunker}, {@link io.afd.protocol.Reassembler}) and Ed25519 keys ({@link
 * io.afd.protocol.SigningKey}, {@link io.afd.protocol.VerifyKey}, {@link io.afd.protocol.KeyLookup}). Payloads are AFDT tensor blobs ({@link io.afd.core.codec.TensorCodec}).
 * The language-neutral specification is {@code docs/protocol.md}; JSON Schemas of the headers are the
 * resources {@code /schemas/*.schema.json}.
 */
package io.afd.protocol;
