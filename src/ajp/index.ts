/** ajp/: the AJP13 codec, the per-direction packet reader and the per-connection state machine. */
export * from './constants.js';
export type * from './types.js';
export { decodePacket, decodeBody, plausibleMessage, expectedMagic } from './decode.js';
export { PacketReader } from './framer.js';
export type { ChunkIn, FramerSink, SkippedBytes } from './framer.js';
export { AjpSession, VIOLATION_KINDS } from './state.js';
export type { Phase, Step, Violation, ViolationKind } from './state.js';
export { looksLikeAjp } from './detect.js';
