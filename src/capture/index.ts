/** Public surface of capture import (pure: runs in the browser's Web Worker and in Node). */
export { importCapture, type CaptureImport, type ImportedSession, type ImportOptions, type ImportProgress } from './import.ts';
export { CaptureError, isCaptureError, CAPTURE_ERROR_CODES, CAPTURE_NOTICE_CODES, type CaptureErrorCode, type CaptureNotice, type CaptureNoticeCode } from './errors.ts';
export { readCaptureFile, detectFormat, type CaptureFormat, type CaptureSink, type RawPacket } from './file.ts';
export { decodePacket, LINKTYPES, type TcpSegment } from './packet.ts';
export { TcpReassembler, type TcpConnection, type StreamSink } from './tcp.ts';
export { connectionPipeline, type ConnectionPipeline } from './pipeline.ts';
export { CaptureRequest, CaptureResponse } from './worker-protocol.ts';
