/**
 * The command line's option values: each parser turns an option's text into its value or throws
 * commander's InvalidArgumentError with the option's name and what it takes.
 */
import { InvalidArgumentError } from 'commander';
import { isAspect, MAX_ASPECT } from '../inference/aspect.js';

export const int = (name: string, min: number) => (v: string) => {
  const n = Number(v);
  if (!/^-?\d+$/.test(v.trim()) || n < min) throw new InvalidArgumentError(`${name} must be a whole number >= ${min}`);
  return n;
};
/** `v` as a number in (0, 1], or undefined (empty, not a number, out of range). */
const unitFraction = (v: string): number | undefined => {
  const n = Number(v);
  return v.trim() !== '' && n > 0 && n <= 1 ? n : undefined;
};
/** A dynamic-thresholding percentile, or 'static' (clip x0 to [-1, 1]); commander drops a parser's null, so
 * 'static' stays a string until samplingRequest. */
export const threshold = (v: string): number | 'static' => {
  if (v.trim().toLowerCase() === 'static') return 'static';
  const n = unitFraction(v);
  if (n === undefined) throw new InvalidArgumentError("--threshold must be a percentile in (0, 1] or 'static'");
  return n;
};
export const strength = (v: string): number | 'auto' => {
  if (v.trim().toLowerCase() === 'auto') return 'auto';
  const n = unitFraction(v);
  if (n === undefined) throw new InvalidArgumentError("--strength must be a number in (0, 1] or 'auto'");
  return n;
};
export const baseStrength = (v: string): number => {
  const n = unitFraction(v);
  if (n === undefined) throw new InvalidArgumentError('--strength must be a number in (0, 1]');
  return n;
};
export const detail = (v: string): number | 'auto' => {
  if (v.trim().toLowerCase() === 'auto') return 'auto';
  if (!/^\d+$/.test(v.trim()) || Number(v) < 1) throw new InvalidArgumentError("--detail must be a whole number >= 1 or 'auto'");
  return Number(v);
};
export const seamReach = (v: string): number | 'all' => {
  if (v.trim().toLowerCase() === 'all') return 'all';
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 0.01 || n > 100) throw new InvalidArgumentError("--seam-reach must be a number in [0.01, 100] or 'all'");
  return n;
};
/** "16:9", "3:1" or a plain number: width / height, within the engine's limits (jobs/extend.ts) */
export const aspect = (v: string): number => {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?::\s*(\d+(?:\.\d+)?))?\s*$/.exec(v);
  const n = m ? Number(m[1]) / (m[2] === undefined ? 1 : Number(m[2])) : NaN;
  if (!isAspect(n)) {
    throw new InvalidArgumentError(`--aspect must be width:height (e.g. 16:9) or a number, from 1:${MAX_ASPECT} to ${MAX_ASPECT}:1`);
  }
  return n;
};
export const num = (name: string) => (v: string) => {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`${name} must be a number`);
  return n;
};
