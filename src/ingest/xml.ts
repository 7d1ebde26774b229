import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * Safe XML for answers from arXiv: the only XML Paperboy reads comes over the network, so it is treated as
 * hostile. Rules (docs/decisions.md D10):
 * - a document with a DOCTYPE or an ENTITY declaration is refused before parsing: arXiv's OAI-PMH and Atom
 *   answers never carry one, and refusing it rules out external entities (XXE) and entity expansion
 *   ("billion laughs") whatever the parser would do with them;
 * - the parser never decodes entities itself (`processEntities: false`); `xmlText` decodes only the five
 *   predefined entities and numeric character references (XML 1.0 §4.6, §4.1);
 * - the size is capped, and the document must be well-formed (a truncated page is refused, not half-read).
 */
export class XmlError extends Error {}

export type XmlNode = Record<string, unknown>;

/** The largest document accepted by default (a 2,500-record OAI page is about 5 MB). */
export const DEFAULT_MAX_XML_BYTES = 64 * 1024 * 1024;
const MAX_NESTING = 64;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: MAX_NESTING,
  // no jPath strings built for every node: nothing here reads them (a fifth of the parse time)
  jPath: false,
});

const utf8 = new TextDecoder('utf-8');

/**
 * Checks and parses one XML document into plain objects: elements by local name (namespace prefixes dropped),
 * attributes as `@_name`, text as a string or `#text`. Throws XmlError with a message fit for a log line.
 *
 * @example parseXmlSafely('<a x="1">t</a>') // { a: { '#text': 't', '@_x': '1' } }
 */
export function parseXmlSafely(input: string | Uint8Array, maxBytes = DEFAULT_MAX_XML_BYTES): XmlNode {
  const size = typeof input === 'string' ? Buffer.byteLength(input) : input.byteLength;
  if (size > maxBytes) throw new XmlError(`XML document of ${size} bytes is over the ${maxBytes}-byte limit`);
  let xml = typeof input === 'string' ? input : utf8.decode(input);
  if (xml.charCodeAt(0) === 0xfeff) xml = xml.slice(1);
  if (xml.trim() === '') throw new XmlError('empty XML document');
  if (/<!DOCTYPE/i.test(xml)) throw new XmlError('XML with a DOCTYPE is refused (entities are not allowed)');
  if (/<!ENTITY/i.test(xml)) throw new XmlError('XML with an ENTITY declaration is refused');
  const declared = /^\s*<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']/i.exec(xml)?.[1];
  if (declared && !/^(utf-?8|us-ascii)$/i.test(declared)) {
    throw new XmlError(`XML encoding "${declared.slice(0, 40)}" is not supported (UTF-8 only)`);
  }
  let valid: ReturnType<typeof XMLValidator.validate>;
  try {
    valid = XMLValidator.validate(xml);
  } catch (err) {
    throw new XmlError(`malformed XML: ${(err as Error).message.slice(0, 200)}`);
  }
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    throw new XmlError(`malformed or truncated XML at line ${line}, column ${col}: ${msg.slice(0, 200)}`);
  }
  try {
    return parser.parse(xml) as XmlNode;
  } catch (err) {
    throw new XmlError(`malformed XML: ${(err as Error).message.slice(0, 200)}`);
  }
}

const ENTITY = /&(?:#x([0-9a-fA-F]{1,6})|#([0-9]{1,7})|(amp|lt|gt|quot|apos));/g;
const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes the predefined entities and character references (XML 1.0 §4.6); anything else stays as written. */
export function decodeXmlEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(
    ENTITY,
    (_, hex: string | undefined, dec: string | undefined, name: string | undefined) => {
      if (name) return PREDEFINED[name]!;
      const code = hex !== undefined ? Number.parseInt(hex, 16) : Number(dec);
      // XML 1.0 §2.2 Char: no NUL, no surrogates, nothing above U+10FFFF
      if (code === 0 || (code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff) return '\ufffd';
      return String.fromCodePoint(code);
    },
  );
}

/** The text of an element (first one if repeated), entities decoded; '' when absent. */
export function xmlText(node: unknown): string {
  if (Array.isArray(node)) return xmlText(node[0]);
  if (typeof node === 'string') return decodeXmlEntities(node);
  if (typeof node === 'number' || typeof node === 'boolean') return String(node);
  if (isNode(node)) {
    const text = node['#text'];
    return typeof text === 'string' || typeof text === 'number' ? decodeXmlEntities(String(text)) : '';
  }
  return '';
}

/** An attribute of an element, entities decoded, or null. */
export function xmlAttr(node: unknown, name: string): string | null {
  if (Array.isArray(node)) return xmlAttr(node[0], name);
  if (!isNode(node)) return null;
  const value = node[`@_${name}`];
  return typeof value === 'string' ? decodeXmlEntities(value) : null;
}

/** The elements of a name under a node, as a list whether there were none, one or many. */
export function xmlList(node: unknown, name: string): unknown[] {
  if (!isNode(node)) return [];
  const value = node[name];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** One child element (the first if repeated), or undefined. */
export function xmlChild(node: unknown, name: string): unknown {
  if (Array.isArray(node)) return xmlChild(node[0], name);
  if (!isNode(node)) return undefined;
  const value = node[name];
  return Array.isArray(value) ? value[0] : value;
}

export function isNode(value: unknown): value is XmlNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
