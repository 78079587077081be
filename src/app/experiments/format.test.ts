import { describe, expect, it } from 'vitest';
import { logExtent } from './chart-options';
import { axisQuantity, bytes, decimal, drawable, tick, withUnit } from './format';

describe('numbers of results and chart axes', () => {
  it('writes decimal quantities in decimal: 10,000 tokens is 10,000, not 9.77K', () => {
    expect(tick(10_000, 'decimal', 'en')).toBe('10,000');
    expect(tick(100_000, 'decimal', 'en')).toBe('100,000');
    expect(tick(10_000_000, 'decimal', 'en')).toBe('10M');
    expect(tick(2_500_000_000, 'decimal', 'ko')).toBe('2.5G');
    expect(tick(251.5, 'decimal', 'en')).toBe('251.5');
    expect(tick(0.001, 'decimal', 'en')).toBe('0.001');
    expect(tick(1e-7, 'decimal', 'en')).toBe('1e-7');
  });

  it('writes bytes in binary units, saying so', () => {
    expect(bytes(304, 'en')).toBe('304 B');
    expect(bytes(2096, 'en')).toBe('2.05 KiB');
    expect(bytes(2 * 1024 * 1024, 'en')).toBe('2 MiB');
    expect(bytes(1073741824, 'ko')).toBe('1 GiB');
    expect(tick(65536, 'bytes', 'en')).toBe('64 KiB');
  });

  it('tells a bytes axis from a decimal one by its label', () => {
    expect(axisQuantity('Bytes (log)')).toBe('bytes');
    expect(axisQuantity('바이트 (로그)')).toBe('bytes');
    expect(axisQuantity('Arithmetic intensity FLOP/byte (model, log)')).toBe('decimal');
    expect(axisQuantity('연산 강도 FLOP/바이트 (모델, 로그)')).toBe('decimal');
    expect(axisQuantity('Sequence length N (log)')).toBe('decimal');
    expect(axisQuantity('ms / token')).toBe('decimal');
  });

  it('formats evidence with its unit', () => {
    expect(withUnit(435.224576, 'ms', 'en')).toBe('435 ms');
    expect(withUnit(1.410179, '×', 'en')).toBe('1.41×');
    expect(withUnit(2099376, 'B', 'en')).toBe('2 MiB');
    expect(withUnit(0.003968, 'p', 'en')).toBe('0.00397');
    expect(withUnit(2.0953e-7, '', 'en')).toBe('2.1e-7');
    expect(decimal(0, 'en')).toBe('0');
  });

  it('leaves out what a log axis cannot draw: an error of exactly 0 is not plotted at 1e-18', () => {
    const points = [
      [1, 0],
      [65, 1.6e-7],
      [0, 5],
      [200, Number.NaN],
      [512, 2e-7],
    ];
    expect(drawable(points, true, true)).toEqual([
      [65, 1.6e-7],
      [512, 2e-7],
    ]);
    expect(drawable(points, false, false)).toEqual([
      [1, 0],
      [65, 1.6e-7],
      [0, 5],
      [512, 2e-7],
    ]);
  });

  it('spans a log axis over whole decades of what it draws, never down to 1e-18 for a 0', () => {
    expect(logExtent([0, 1.6e-7, 2.1e-7], 10)).toEqual({ min: 1e-7, max: 1e-6 });
    expect(logExtent([1e-7, 1e-7], 10)).toEqual({ min: 1e-8, max: 1e-6 });
    expect(logExtent([304, 2096], 2)).toEqual({ min: 256, max: 4096 });
    expect(logExtent([0, -1], 10)).toBeNull();
  });
});
