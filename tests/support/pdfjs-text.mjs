// Prints the text pdf.js extracts from a PDF (as Firefox and the app's preview copy it):
// the items of each page in order, a newline where pdf.js ends a line, a form feed per page.
// Usage: node tests/support/pdfjs-text.mjs FILE.pdf
import fs from 'node:fs';

const { getDocument } = await import(
  new URL('../../ui/node_modules/pdfjs-dist/legacy/build/pdf.mjs', import.meta.url).href
);
const data = new Uint8Array(fs.readFileSync(process.argv[2]));
const doc = await getDocument({ data, verbosity: 0 }).promise;
let out = '';
for (let p = 1; p <= doc.numPages; p++) {
  const page = await doc.getPage(p);
  const content = await page.getTextContent();
  for (const item of content.items) {
    out += item.str;
    if (item.hasEOL) out += '\n';
  }
  out += '\n\f';
}
process.stdout.write(out);
