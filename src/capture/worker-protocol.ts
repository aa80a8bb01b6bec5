import { z } from 'zod';
import { LabEvent } from '../protocol/events.ts';
import { CAPTURE_ERROR_CODES, CAPTURE_NOTICE_CODES } from './errors.ts';

/**
 * Messages between the page (src/ui/lib/capture-client.ts) and the capture worker
 * (workers/capture.worker.ts), validated with zod on receipt, both ways.
 */
const isArrayBuffer = (v: unknown): v is ArrayBuffer => Object.prototype.toString.call(v) === '[object ArrayBuffer]';

/** The largest key log text accepted (a browser's SSLKEYLOGFILE of a long day stays well below). */
export const MAX_KEYLOG_CHARS = 16 * 1024 * 1024;

export const CaptureRequest = z.object({
  type: z.literal('import'),
  /** Chosen by the client; every answer carries it. */
  id: z.number().int().nonnegative(),
  /** The whole capture file, transferred (not copied) to the worker. */
  file: z.custom<ArrayBuffer>(isArrayBuffer, 'file must be an ArrayBuffer'),
  keylog: z.string().max(MAX_KEYLOG_CHARS).optional(),
  name: z.string().max(1024),
});
export type CaptureRequest = z.infer<typeof CaptureRequest>;

const Params = z.record(z.string(), z.union([z.string(), z.number()]));

export const CaptureNoticeSchema = z.object({
  code: z.enum(CAPTURE_NOTICE_CODES),
  conn: z.number().int().nonnegative().nullable(),
  params: Params,
  message: z.string(),
});

export const ImportedSessionSchema = z.object({
  id: z.string(),
  index: z.number().int().nonnegative(),
  hosts: z.object({ cpe: z.string(), acs: z.string() }),
  events: z.array(LabEvent),
  keyLog: z.string(),
  notices: z.array(CaptureNoticeSchema),
  unknown: z.array(z.string()),
  stats: z.object({ connections: z.number().int(), tlsConnections: z.number().int(), httpConnections: z.number().int() }),
});

/** Codes of a failed import: the capture's own (src/capture/errors.ts) and the worker's. */
export const WORKER_ERROR_CODES = [...CAPTURE_ERROR_CODES, 'ERR_BAD_REQUEST', 'ERR_INTERNAL'] as const;

export const CaptureResponse = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('progress'),
    id: z.number().int(),
    bytes: z.number().int().nonnegative(),
    total: z.number().int().nonnegative(),
    packets: z.number().int().nonnegative(),
  }),
  z.object({
    type: z.literal('result'),
    id: z.number().int(),
    format: z.enum(['pcap', 'pcapng']),
    sessions: z.array(ImportedSessionSchema),
    notices: z.array(CaptureNoticeSchema),
    /** Milliseconds the import took in the worker. */
    ms: z.number().nonnegative(),
  }),
  z.object({
    type: z.literal('error'),
    id: z.number().int(),
    code: z.enum(WORKER_ERROR_CODES),
    params: Params,
    message: z.string(),
  }),
]);
export type CaptureResponse = z.infer<typeof CaptureResponse>;
