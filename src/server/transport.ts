// The server's side of the wire, hardened against a misbehaving client. Input: the client's byte
// stream. Output: the messages vscode-jsonrpc dispatches, and a process that ends, with a line on
// stderr, when the stream can no longer be trusted.
// - A header without a valid Content-Length, or one announcing more than MAX_MESSAGE_BYTES, means
//   the framing is lost: every later byte would be misread, so the server logs and exits 1 rather
//   than staying alive and answering nothing.
// - A request with `params: null` is answered InvalidParams here (JSON-RPC allows only an object or
//   an array), before the library's dispatch reads a field of it and fails with an internal error.
import { Transform, type TransformCallback } from 'node:stream';
import { AbstractMessageReader, ErrorCodes, Message, type DataCallback, type Disposable, type MessageReader, type MessageWriter } from 'vscode-languageserver/node';

/** Largest message accepted: far above any document (the parser reads at most 64 MiB). */
export const MAX_MESSAGE_BYTES = 128 * 1024 * 1024;

/**
 * Passes the byte stream through unchanged while following its framing, and calls `broken` with
 * the reason at the first header that is not `Content-Length: N` with 0 ≤ N ≤ MAX_MESSAGE_BYTES.
 */
export class FramingCheck extends Transform {
  private header = '';
  private bodyLeft = 0;
  private failed = false;

  constructor(private readonly broken: (reason: string) => void) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (this.failed) return done();
    let at = 0;
    while (at < chunk.length) {
      if (this.bodyLeft > 0) {
        const take = Math.min(this.bodyLeft, chunk.length - at);
        this.bodyLeft -= take;
        at += take;
        continue;
      }
      // In a header: read up to its blank line, a byte at a time (headers are short).
      this.header += String.fromCharCode(chunk[at++]!);
      if (this.header.length > 8192) return this.fail('a header longer than 8 KiB', done);
      if (!this.header.endsWith('\r\n\r\n')) continue;
      const length = /(?:^|\r\n)Content-Length:[ \t]*(\d+)[ \t]*\r\n/i.exec(this.header);
      if (!length) return this.fail(`a header without a valid Content-Length (${JSON.stringify(this.header.trim().slice(0, 80))})`, done);
      const n = Number(length[1]);
      if (!Number.isSafeInteger(n) || n > MAX_MESSAGE_BYTES) return this.fail(`a header announcing ${length[1]} bytes (at most ${MAX_MESSAGE_BYTES} are accepted)`, done);
      this.header = '';
      this.bodyLeft = n;
    }
    done(null, chunk);
  }

  private fail(reason: string, done: TransformCallback): void {
    this.failed = true;
    done();
    this.broken(reason);
  }
}

/** A reader that answers requests with `params: null` itself (InvalidParams) and drops such notifications. */
export class ParamsCheckingReader extends AbstractMessageReader implements MessageReader {
  constructor(
    private readonly inner: MessageReader,
    private readonly writer: MessageWriter,
    private readonly log: (message: string) => void,
  ) {
    super();
    inner.onError((e) => this.fireError(e));
    inner.onClose(() => this.fireClose());
    inner.onPartialMessage((info) => this.firePartialMessage(info));
  }

  listen(callback: DataCallback): Disposable {
    return this.inner.listen((message) => {
      const params = (message as { params?: unknown }).params;
      if (params === null) {
        if (Message.isRequest(message)) {
          void this.writer.write({ jsonrpc: '2.0', id: message.id, error: { code: ErrorCodes.InvalidParams, message: `${message.method}: params must be an object or an array, not null` } } as Message);
          return;
        }
        if (Message.isNotification(message)) {
          this.log(`flowlane: ignored ${message.method}: params must be an object or an array, not null`);
          return;
        }
      }
      callback(message);
    });
  }

  override dispose(): void {
    super.dispose();
    this.inner.dispose();
  }
}
