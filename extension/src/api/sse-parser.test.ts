import { describe, expect, it } from 'vitest';
import { SseParser } from './sse-parser.ts';

function parseAll(chunks: string[]) {
  const parser = new SseParser();
  const messages = chunks.flatMap((chunk) => parser.push(chunk));
  return { messages, parser };
}

describe('SseParser', () => {
  it('reads named events with JSON data, as the OrgLink server sends them', () => {
    const { messages } = parseAll(['event: connection.changed\ndata: {"a":1}\n\n']);
    expect(messages).toEqual([{ event: 'connection.changed', data: '{"a":1}' }]);
  });

  it('gives the same events however the stream is cut into chunks', () => {
    const stream =
      'retry: 3000\n: connected\n\nevent: one\ndata: first\n\nevent: two\r\ndata: second\r\n\r\ndata: third\r\r';
    const whole = parseAll([stream]).messages;
    expect(whole.map((message) => message.data)).toEqual(['first', 'second', 'third']);
    for (let size = 1; size <= 7; size++) {
      const chunks: string[] = [];
      for (let index = 0; index < stream.length; index += size) chunks.push(stream.slice(index, index + size));
      expect(parseAll(chunks).messages).toEqual(whole);
    }
  });

  it('treats a CR at the end of one chunk and an LF at the start of the next as one line ending', () => {
    const { messages } = parseAll(['data: a\r', '\ndata: b\r', '\n\r', '\n']);
    expect(messages).toEqual([{ event: 'message', data: 'a\nb' }]);
  });

  it('joins multi-line data with newlines and takes off one leading space only', () => {
    const { messages } = parseAll(['data:line one\ndata:  two spaces\ndata\n\n']);
    expect(messages).toEqual([{ event: 'message', data: 'line one\n two spaces\n' }]);
  });

  it('skips comments and heartbeats, and does not dispatch events without data', () => {
    const { messages } = parseAll([': heartbeat\n\n', 'event: lonely\n\n', ':x\ndata: real\n\n']);
    expect(messages).toEqual([{ event: 'message', data: 'real' }]);
  });

  it('remembers retry and the last event id, and ignores unknown fields and bad retry values', () => {
    const { messages, parser } = parseAll(['retry: 2500\nid: 7\nfoo: bar\ndata: x\n\nretry: soon\n\n']);
    expect(messages).toEqual([{ event: 'message', data: 'x', id: '7' }]);
    expect(parser.retryMs).toBe(2500);
    expect(parser.lastEventId).toBe('7');
  });

  it('drops an event cut off by the end of the stream', () => {
    const parser = new SseParser();
    expect(parser.push('data: complete\n\ndata: cut off')).toHaveLength(1);
    parser.end();
    expect(parser.push('data: fresh\n\n')).toEqual([{ event: 'message', data: 'fresh' }]);
  });

  it('dispatches at once when a chunk ends in the CR of a blank line', () => {
    const parser = new SseParser();
    expect(parser.push('data: now\r\r')).toEqual([{ event: 'message', data: 'now' }]);
    expect(parser.push('\ndata: next\n\n')).toEqual([{ event: 'message', data: 'next' }]);
  });

  it('strips a byte order mark at the start of the stream only', () => {
    const { messages } = parseAll(['\uFEFFdata: a\n\n', 'data: \uFEFFb\n\n']);
    expect(messages.map((message) => message.data)).toEqual(['a', '\uFEFFb']);
  });
});
