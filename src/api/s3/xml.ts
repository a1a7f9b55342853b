/**
 * The little XML S3 speaks, by hand: the bodies are small and fixed in shape, so a writer
 * with proper escaping and a strict element-only reader are enough (no dependency).
 */
export const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** A child element: `[name, text]` or `[name, children]`; undefined children are left out. */
export type Node = [string, string | number | boolean | (Node | undefined)[]];

export function render(node: Node): string {
  const [name, body] = node;
  const inner = Array.isArray(body) ? body.filter((n): n is Node => n !== undefined).map(render).join('') : escapeXml(String(body));
  return `<${name}>${inner}</${name}>`;
}

/** A whole document, the root carrying S3's namespace. */
export function document(root: string, children: (Node | undefined)[]): string {
  const inner = children.filter((n): n is Node => n !== undefined).map(render).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${S3_NS}">${inner}</${root}>`;
}

export interface Element {
  name: string;
  children: Element[];
  text: string;
}

const UNESCAPE: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function unescape(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos|#x[0-9a-fA-F]+|#\d+);/g, (_, e: string) =>
    e.startsWith('#x') ? String.fromCodePoint(parseInt(e.slice(2), 16)) : e.startsWith('#') ? String.fromCodePoint(Number(e.slice(1))) : UNESCAPE[e]!,
  );
}

/** Parses elements and text (attributes ignored); throws on anything malformed. */
export function parseXml(text: string): Element {
  let i = 0;
  const skip = () => {
    for (;;) {
      while (i < text.length && /\s/.test(text[i]!)) i++;
      if (text.startsWith('<?', i)) i = must(text.indexOf('?>', i)) + 2;
      else if (text.startsWith('<!--', i)) i = must(text.indexOf('-->', i)) + 3;
      else return;
    }
  };
  const must = (n: number) => {
    if (n < 0) throw new Error('malformed XML');
    return n;
  };
  const element = (): Element => {
    const m = /^<([A-Za-z_][\w.:-]*)((?:\s+[\w.:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/.exec(text.slice(i));
    if (!m) throw new Error('malformed XML');
    i += m[0].length;
    const el: Element = { name: m[1]!.replace(/^.*:/, ''), children: [], text: '' };
    if (m[3] === '/') return el;
    let raw = '';
    for (;;) {
      if (i >= text.length) throw new Error('malformed XML');
      if (text.startsWith('</', i)) {
        const end = must(text.indexOf('>', i));
        if (text.slice(i + 2, end).trim() !== m[1]) throw new Error('malformed XML');
        i = end + 1;
        el.text = unescape(raw);
        return el;
      }
      if (text.startsWith('<!--', i)) {
        i = must(text.indexOf('-->', i)) + 3;
      } else if (text.startsWith('<![CDATA[', i)) {
        const end = must(text.indexOf(']]>', i));
        raw += escapeXml(text.slice(i + 9, end));
        i = end + 3;
      } else if (text[i] === '<') {
        el.children.push(element());
      } else {
        raw += text[i++];
      }
    }
  };
  skip();
  const root = element();
  skip();
  if (i !== text.length) throw new Error('malformed XML');
  return root;
}

export const child = (el: Element, name: string): Element | undefined => el.children.find((c) => c.name === name);
export const children = (el: Element, name: string): Element[] => el.children.filter((c) => c.name === name);
