import { describe, expect, it } from 'vitest';
import { parseXsdType, validateValue, type ParamDef } from './types.ts';

const d = (x: Partial<ParamDef>): ParamDef => ({ type: 'string', writable: true, default: '', ...x });

describe('validateValue', () => {
  it('parses xsi:type spellings', () => {
    expect(parseXsdType('xsd:unsignedInt')).toBe('unsignedInt');
    expect(parseXsdType('xs:boolean')).toBe('boolean');
    expect(parseXsdType('{http://www.w3.org/2001/XMLSchema}dateTime')).toBe('dateTime');
    expect(parseXsdType('unsignedInt')).toBe('unsignedInt');
    expect(parseXsdType('xsd:float')).toBeUndefined();
  });
  it('numbers: value spaces and ranges', () => {
    expect(validateValue(d({ type: 'unsignedInt' }), '4294967295')).toEqual({ ok: true, value: '4294967295' });
    expect(validateValue(d({ type: 'unsignedInt' }), '4294967296').ok).toBe(false);
    expect(validateValue(d({ type: 'int' }), '-2147483648').ok).toBe(true);
    expect(validateValue(d({ type: 'int' }), '2147483648').ok).toBe(false);
    expect(validateValue(d({ type: 'unsignedLong' }), '18446744073709551615').ok).toBe(true);
    expect(validateValue(d({ type: 'long' }), '-9223372036854775809').ok).toBe(false);
    expect(validateValue(d({ type: 'unsignedInt', range: { min: 1, max: 10 } }), '0').ok).toBe(false);
    expect(validateValue(d({ type: 'unsignedInt' }), '1.5').ok).toBe(false);
    expect(validateValue(d({ type: 'int' }), '').ok).toBe(false);
    expect(validateValue(d({ type: 'int' }), '007')).toEqual({ ok: true, value: '7' });
  });
  it('booleans canonicalize 1/0', () => {
    expect(validateValue(d({ type: 'boolean' }), '1')).toEqual({ ok: true, value: 'true' });
    expect(validateValue(d({ type: 'boolean' }), 'TRUE').ok).toBe(false);
  });
  it('dateTime', () => {
    for (const ok of ['0001-01-01T00:00:00Z', '2024-02-29T23:59:59Z', '2025-01-01T12:00:00.123+01:00', '2025-01-01T12:00:00']) {
      expect(validateValue(d({ type: 'dateTime' }), ok).ok, ok).toBe(true);
    }
    for (const bad of ['2023-02-29T00:00:00Z', '2025-13-01T00:00:00Z', '2025-01-01 00:00:00', '2025-01-01T25:00:00Z', '']) {
      expect(validateValue(d({ type: 'dateTime' }), bad).ok, bad).toBe(false);
    }
  });
  it('base64 / hexBinary sizes in bytes', () => {
    expect(validateValue(d({ type: 'base64', maxLength: 3 }), 'AAAA').ok).toBe(true);
    expect(validateValue(d({ type: 'base64', maxLength: 2 }), 'AAAA').ok).toBe(false);
    expect(validateValue(d({ type: 'base64' }), 'AAA').ok).toBe(false);
    expect(validateValue(d({ type: 'hexBinary', maxLength: 2 }), 'ABCD')).toEqual({ ok: true, value: 'abcd' });
    expect(validateValue(d({ type: 'hexBinary', maxLength: 2 }), 'ABCDEF').ok).toBe(false);
    expect(validateValue(d({ type: 'hexBinary' }), 'ABC').ok).toBe(false);
  });
  it('strings: length in characters, enum, pattern, lists', () => {
    expect(validateValue(d({ maxLength: 3 }), 'äöü').ok).toBe(true);
    expect(validateValue(d({ maxLength: 3 }), 'äöüx').ok).toBe(false);
    expect(validateValue(d({ minLength: 8 }), 'short').ok).toBe(false);
    expect(validateValue(d({ enum: ['A', 'B'] }), 'C').ok).toBe(false);
    expect(validateValue(d({ pattern: /[0-9A-F]{6}/ }), '00259E').ok).toBe(true);
    expect(validateValue(d({ pattern: /[0-9A-F]{6}/ }), '00259E0').ok).toBe(false);
    expect(validateValue(d({ list: true, enum: ['a', 'b'] }), 'a,b').ok).toBe(true);
    expect(validateValue(d({ list: true, enum: ['a', 'b'] }), 'a,c').ok).toBe(false);
    expect(validateValue(d({ list: true, enum: ['a', 'b'] }), '').ok).toBe(true);
  });
  it('9006 on a declared type mismatch, 9007 on a bad value', () => {
    expect(validateValue(d({ type: 'unsignedInt' }), '5', 'xsd:string')).toMatchObject({ ok: false, code: 9006 });
    expect(validateValue(d({ type: 'unsignedInt' }), 'x', 'xsd:unsignedInt')).toMatchObject({ ok: false, code: 9007 });
    expect(validateValue(d({}), 5 as unknown as string)).toMatchObject({ ok: false, code: 9007 });
  });
});
