/** One dispatched Server-Sent Event: its type (`message` unless named) and its data lines joined by newlines. */
export interface SseMessage {
  event: string;
  data: string;
  id?: string;
}

/**
 * The text/event-stream framing of the HTML standard, fed chunk by chunk as the network delivers them. Written by
 * hand because a service worker has no EventSource, and EventSource could not send the Authorization header anyway.
 * Chunks may split anywhere, including between the CR and LF of one line ending, and an event is dispatched as
 * soon as its closing blank line arrives, whatever the line endings.
 */
export class SseParser {
  #buffer = '';
  #started = false;
  #afterCarriageReturn = false;
  #data: string[] = [];
  #event = '';
  #id: string | undefined;
  /** The reconnection delay the server asked for with a `retry:` field, in milliseconds. */
  retryMs: number | undefined;
  /** The id of the last event, to send back as Last-Event-ID when reconnecting. */
  lastEventId: string | undefined;

  /** Adds decoded text and answers the events it completed. */
  push(chunk: string): SseMessage[] {
    let text = chunk;
    // The previous chunk ended in CR, already taken as a line end: an LF now is the rest of that CRLF.
    if (this.#afterCarriageReturn && text.startsWith('\n')) text = text.slice(1);
    this.#afterCarriageReturn = false;
    if (!this.#started && text.length > 0) {
      this.#started = true;
      if (text.startsWith('\uFEFF')) text = text.slice(1);
    }
    text = this.#buffer + text;
    const messages: SseMessage[] = [];
    let lineStart = 0;
    for (let index = 0; index < text.length; index++) {
      const char = text[index];
      if (char !== '\n' && char !== '\r') continue;
      this.#line(text.slice(lineStart, index), messages);
      if (char === '\r') {
        if (index === text.length - 1) this.#afterCarriageReturn = true;
        else if (text[index + 1] === '\n') index++;
      }
      lineStart = index + 1;
    }
    this.#buffer = text.slice(lineStart);
    return messages;
  }

  /** The stream ended. Per the standard an event without its closing blank line is dropped. */
  end(): void {
    this.#buffer = '';
    this.#data = [];
    this.#event = '';
    this.#id = undefined;
    this.#afterCarriageReturn = false;
  }

  #line(line: string, messages: SseMessage[]) {
    if (line === '') {
      this.#dispatch(messages);
      return;
    }
    if (line.startsWith(':')) return; // a comment, such as the server's heartbeat
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.#event = value;
        break;
      case 'data':
        this.#data.push(value);
        break;
      case 'id':
        if (!value.includes('\0')) this.#id = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retryMs = Number(value);
        break;
      default:
        break; // unknown fields are ignored, as the standard says
    }
  }

  #dispatch(messages: SseMessage[]) {
    if (this.#id !== undefined) this.lastEventId = this.#id;
    if (this.#data.length > 0) {
      const message: SseMessage = { event: this.#event || 'message', data: this.#data.join('\n') };
      if (this.lastEventId !== undefined) message.id = this.lastEventId;
      messages.push(message);
    }
    this.#data = [];
    this.#event = '';
    this.#id = undefined;
  }
}
