/**
 * The wire protocol between clients and gateways (Socket.IO v4, default namespace), as types.
 * Third-party clients speak exactly this; the gateway validates every payload against it.
 * Types only: importing this module adds nothing to a browser bundle.
 */
import type { WireError } from '../../common/errors.ts';
import type { TextOp } from '../../common/protocol.ts';

export type { TextOp, WireError };

/** A selection `[anchor, head]` in code points, or `null` when the cursor is hidden. */
export type Selection = [anchor: number, head: number] | null;

/** One sequenced operation as clients receive it. */
export interface WireOp {
  v: number;
  src: string;
  seq: number;
  op: TextOp;
  user: string;
  ts: number;
}

export interface JoinRequest {
  doc: string;
  /** The version the client has; without it the server sends the current text. */
  v?: number;
}

export interface LeaveRequest {
  doc: string;
}

export interface OpRequest {
  doc: string;
  /** The base version: the server version `op` applies to. */
  v: number;
  src: string;
  seq: number;
  op: TextOp;
}

export interface PresenceRequest {
  doc: string;
  v: number;
  sel: Selection;
}

/** Every acknowledgement: success with the event's result, or a protocol error. */
export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: WireError };

export type JoinResult = { v: number; text: string } | { v: number; ops: WireOp[] };

export interface DocOpsMessage {
  doc: string;
  /** Contiguous, ascending versions. */
  ops: WireOp[];
}

export interface DocRejectMessage {
  doc: string;
  src: string;
  seq: number;
  error: WireError;
}

export interface PresenceEntry {
  /** One entry per connection: a user with two tabs has two cursors. */
  id: string;
  user: string;
  name: string;
  color: string;
  v: number;
  sel: Selection;
}

export interface PresenceMessage {
  doc: string;
  /** Only the entries that changed; `sel: null` means the cursor is gone. */
  users: PresenceEntry[];
}

export interface ClientToServerEvents {
  'doc:join': (request: JoinRequest, ack: (reply: Ack<JoinResult>) => void) => void;
  'doc:leave': (request: LeaveRequest, ack: (reply: Ack) => void) => void;
  'doc:op': (request: OpRequest, ack: (reply: Ack) => void) => void;
  'presence:set': (request: PresenceRequest, ack: (reply: Ack) => void) => void;
}

export interface ServerToClientEvents {
  'doc:ops': (message: DocOpsMessage) => void;
  'doc:reject': (message: DocRejectMessage) => void;
  presence: (message: PresenceMessage) => void;
}
