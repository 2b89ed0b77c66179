// exceljs's streaming reader decodes each chunk of a zip entry on its own
// (lib/utils/parse-sax.js → bufferToString), so a Chinese character split across two chunks
// becomes U+FFFD: about 1 row in 4,000 of a Chinese workbook came out garbled. Its decoder is
// swapped for a streaming one before exceljs loads it (import this module before 'exceljs').
// Entries are parsed one after another, and each ends on a whole character, so one decoder serves.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const decode = require('exceljs/lib/utils/browser-buffer-decode.js') as { bufferToString: (chunk: unknown) => string };
const utf8 = new TextDecoder('utf-8');
decode.bufferToString = (chunk) => (typeof chunk === 'string' ? chunk : utf8.decode(chunk as Uint8Array, { stream: true }));
