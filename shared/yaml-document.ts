import { isNode, LineCounter, parseAllDocuments, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import type { Diagnostic, SourceLocation } from './diagnostics';

/** A parsed YAML document that can point diagnostics at lines and columns. */
export interface LocatedDocument {
  doc: Document;
  /** Turns a dotted data path into file, line and column (the deepest node that exists). */
  locate(path: string): SourceLocation;
}

export type LocatedParse = { ok: true; value: LocatedDocument } | { ok: false; diagnostics: Diagnostic[] };

/** Parses YAML text; syntax errors come back as diagnostics with line and column. */
export function parseLocatedYaml(text: string, file: string, syntaxCode: string): LocatedParse {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) return { ok: false, diagnostics: syntaxDiagnostics(doc, lineCounter, file, syntaxCode) };
  return { ok: true, value: located(doc, lineCounter, file) };
}

/**
 * Parses a YAML stream of several documents (`---` between them), each able to locate its
 * own paths; a syntax error in any document fails the whole stream, with line and column.
 */
export function parseLocatedYamlStream(text: string, file: string, syntaxCode: string): { ok: true; value: LocatedDocument[] } | { ok: false; diagnostics: Diagnostic[] } {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  // A stream with nothing but comments gives an empty list, or an EmptyStream with errors of its own.
  if (!Array.isArray(docs)) return { ok: false, diagnostics: syntaxDiagnostics(docs, lineCounter, file, syntaxCode) };
  const diagnostics = docs.flatMap((doc) => syntaxDiagnostics(doc, lineCounter, file, syntaxCode));
  if (diagnostics.length > 0) return { ok: false, diagnostics };
  return { ok: true, value: docs.map((doc) => located(doc, lineCounter, file)) };
}

function syntaxDiagnostics(doc: { errors: readonly { pos: [number, number]; message: string }[] }, lineCounter: LineCounter, file: string, code: string): Diagnostic[] {
  return doc.errors.map((e) => {
    const pos = lineCounter.linePos(e.pos[0]);
    return {
      code,
      severity: 'error',
      message: `YAML syntax: ${e.message.split('\n')[0] ?? e.message}`,
      location: { file, line: pos.line, column: pos.col },
    };
  });
}

function located(doc: Document, lineCounter: LineCounter, file: string): LocatedDocument {
  const locate = (path: string): SourceLocation => {
    const segments = path === '' ? [] : path.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    for (let n = segments.length; n >= 0; n--) {
      const node: unknown = doc.getIn(segments.slice(0, n), true);
      if (isNode(node) && node.range) {
        const pos = lineCounter.linePos(node.range[0]);
        return { file, line: pos.line, column: pos.col, path };
      }
    }
    // A document further down a stream starts where its contents start, not on line 1.
    const start = doc.contents?.range?.[0];
    const pos = start === undefined ? { line: 1, col: 1 } : lineCounter.linePos(start);
    return { file, line: pos.line, column: pos.col, path };
  };
  return { doc, locate };
}

/** Turns schema failures into located diagnostics, one per problem. */
export function schemaDiagnostics(error: z.ZodError, located: Pick<LocatedDocument, 'locate'>, code: string): Diagnostic[] {
  return error.issues.map((issue) => {
    // An unknown key is reported on its object; point at the key itself, where the typo is.
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const path = [...issue.path.map(String), ...keys.slice(0, 1)].join('.');
    return {
      code,
      severity: 'error' as const,
      message: path === '' ? issue.message : `${path}: ${issue.message}`,
      location: located.locate(path),
    };
  });
}
