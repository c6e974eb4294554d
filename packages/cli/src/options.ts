import { InvalidArgumentError } from 'commander';

/**
 * A commander parser for a whole-number option from `min` to `max`. Its own module: commands
 * that must start fast (`send-event`, run by Nagios per notification) load no server code.
 */
export function wholeNumber(min: number, max?: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || (max !== undefined && n > max)) {
      throw new InvalidArgumentError(max !== undefined ? `must be a whole number from ${min} to ${max}` : min === 1 ? 'must be a positive whole number' : `must be a whole number of at least ${min}`);
    }
    return n;
  };
}
