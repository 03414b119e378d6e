import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from './diagnostics';
import { mustBe, printable, quotedName, shortName } from './text';

describe('printable', () => {
  it('writes every control character as an escape, and leaves other text as it is', () => {
    expect(printable('web\u001b[31mRED\u0007')).toBe('web\\u001b[31mRED\\u0007');
    expect(printable('app\nFAKE\r\tLINE')).toBe('app\\nFAKE\\r\\tLINE');
    expect(printable('del\u007f csi\u009b')).toBe('del\\u007f csi\\u009b');
    expect(printable('C:\\shop → db-1 (10.0.0.1) ünïcode')).toBe('C:\\shop → db-1 (10.0.0.1) ünïcode');
  });

  it('escapes the characters that reorder or break a line as shown, so a name cannot disguise what follows it', () => {
    // An override turns the rest of the line around: `rtl\u202eevil → db-1` would show as `rtl1-bd → live`.
    expect(printable('rtl\u202eevil → db-1')).toBe('rtl\\u202eevil → db-1');
    expect(printable('a\u2066b\u2069c\u202ad')).toBe('a\\u2066b\\u2069c\\u202ad');
    // Line and paragraph separators start a new line in some viewers of a pipeline's log.
    expect(printable('one\u2028two\u2029')).toBe('one\\u2028two\\u2029');
    expect(printable('עברית and العربية')).toBe('עברית and العربية');
  });

  it('keeps a diagnostic on one line whatever the name it quotes', () => {
    const d = { code: 'MS202', severity: 'warning' as const, message: 'workload "lone\u001b[2J\nerror MS999: forged" is in no group', location: { file: 'inv\u0007.yaml', line: 7, column: 5 } };
    expect(formatDiagnostic(d)).toBe('inv\\u0007.yaml:7:5: warning MS202: workload "lone\\u001b[2J\\nerror MS999: forged" is in no group');
  });
});

describe('quotedName', () => {
  it('quotes a name of up to 60 characters whole, and a longer one by its first 60 and its length', () => {
    expect(quotedName('web-1')).toBe('"web-1"');
    expect(quotedName('x'.repeat(60))).toBe(`"${'x'.repeat(60)}"`);
    expect(quotedName('x'.repeat(61))).toBe(`"${'x'.repeat(60)}…" (61 characters)`);
    expect(shortName('x'.repeat(1234))).toBe(`${'x'.repeat(60)}… (1,234 characters)`);
  });

  it('never cuts a character of two UTF-16 units in half', () => {
    expect(quotedName(`${'x'.repeat(59)}😀${'x'.repeat(10)}`)).toBe(`"${'x'.repeat(59)}…" (71 characters)`);
  });
});

describe('mustBe', () => {
  it('quotes the value found as JSON, a string longer than 60 characters by its head and length', () => {
    expect(mustBe('port', 'a number', 'a\tb')).toBe('port must be a number (found "a\\tb")');
    expect(mustBe('port', 'a number', 70000)).toBe('port must be a number (found 70000)');
    expect(mustBe('the value of label "big"', 'short', 'v'.repeat(5000))).toBe(`the value of label "big" must be short (found "${'v'.repeat(60)}…" (5,000 characters))`);
  });

  it('writes characters that show as nothing or as a plain space as escapes, since they are why the value looks right and is refused', () => {
    expect(mustBe('the value of label "role"', 'letters', 'frontend\u200b')).toBe('the value of label "role" must be letters (found "frontend\\u200b")');
    expect(mustBe('the value of label "role"', 'letters', 'front\u00a0end')).toBe('the value of label "role" must be letters (found "front\\u00a0end")');
    expect(mustBe('name', 'ascii', '\ufeffweb')).toBe('name must be ascii (found "\\ufeffweb")');
    expect(mustBe('name', 'short', `\u200b${'v'.repeat(70)}`)).toBe(`name must be short (found "\\u200b${'v'.repeat(59)}…" (71 characters))`);
    // Plain spaces and letters of any script stay as they are.
    expect(mustBe('name', 'ascii', 'rôle de')).toBe('name must be ascii (found "rôle de")');
  });
});
