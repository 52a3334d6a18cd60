import type { Part } from '../../../../libs/contracts/src';
import { fromV03Message, fromV03Part, fromV03PushConfig, toV03Part } from './v03-convert';

describe('A2A 0.3 conversion', () => {
  it('round-trips every kind of part, wrapping data that 0.3 cannot hold', () => {
    const parts: Part[] = [
      { text: 'hi', metadata: { lang: 'en' } },
      { url: 'https://example.com/a.pdf', filename: 'a.pdf', mediaType: 'application/pdf' },
      { raw: 'aGVsbG8=', mediaType: 'text/plain' },
      { data: { answer: 42 } },
      { data: [1, 2, 3] },
      { data: 'just a string', metadata: { source: 'x' } },
    ];
    const v03 = parts.map(toV03Part);
    expect(v03).toEqual([
      { kind: 'text', text: 'hi', metadata: { lang: 'en' } },
      {
        kind: 'file',
        file: { uri: 'https://example.com/a.pdf', name: 'a.pdf', mimeType: 'application/pdf' },
      },
      { kind: 'file', file: { bytes: 'aGVsbG8=', mimeType: 'text/plain' } },
      { kind: 'data', data: { answer: 42 } },
      { kind: 'data', data: { value: [1, 2, 3] }, metadata: { data_part_compat: true } },
      {
        kind: 'data',
        data: { value: 'just a string' },
        metadata: { source: 'x', data_part_compat: true },
      },
    ]);
    expect(v03.map((part, i) => fromV03Part(part, `parts.${i}`))).toEqual(parts);
  });

  it('names the offending field of a malformed 0.3 message', () => {
    expect(() =>
      fromV03Message({ kind: 'message', role: 'user', parts: [{ kind: 'image' }] }),
    ).toThrow('message.parts.0.kind: must be text, file or data');
    expect(() => fromV03Message({ role: 'user' })).toThrow('message.parts: must be an array');
    expect(fromV03Message({ kind: 'message', messageId: 'm', role: 'user', parts: [] })).toEqual({
      messageId: 'm',
      role: 'ROLE_USER',
      parts: [],
    });
  });

  it('keeps the first of several 0.3 authentication schemes', () => {
    expect(
      fromV03PushConfig(
        { url: 'https://h/x', authentication: { schemes: ['Bearer', 'Basic'], credentials: 'c' } },
        'config',
      ),
    ).toEqual({ url: 'https://h/x', authentication: { scheme: 'Bearer', credentials: 'c' } });
  });
});
