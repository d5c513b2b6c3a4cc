/** When a numeric condition starts to hold, and when (past its hysteresis) it stops. */
import type { Condition, ThresholdCondition } from './ruleTypes';

/** A numeric comparison (above, below, between, outside). */
export function isThreshold(condition: Condition): condition is ThresholdCondition {
  return condition.kind === 'above' || condition.kind === 'below' || condition.kind === 'between' || condition.kind === 'outside';
}

/** The condition holds for `value`: an inactive alert starts (after `forMs`). */
export function thresholdTriggers(condition: ThresholdCondition, value: number): boolean {
  switch (condition.kind) {
    case 'above':
      return value > condition.limit;
    case 'below':
      return value < condition.limit;
    case 'between':
      return value >= condition.low && value <= condition.high;
    case 'outside':
      return value < condition.low || value > condition.high;
  }
}

/** The value is back past the hysteresis band: an active alert clears. */
export function thresholdReleases(condition: ThresholdCondition, value: number): boolean {
  const h = condition.hysteresis;
  switch (condition.kind) {
    case 'above':
      return value <= condition.limit - h;
    case 'below':
      return value >= condition.limit + h;
    case 'between':
      return value < condition.low - h || value > condition.high + h;
    case 'outside': {
      // A band wider than the range would never release: then the range itself is the band.
      const low = condition.low + h <= condition.high - h ? condition.low + h : condition.low;
      const high = condition.low + h <= condition.high - h ? condition.high - h : condition.high;
      return value >= low && value <= high;
    }
  }
}

/** "above 80", "between 10 and 20": how the condition reads in a notification. */
export function describeThreshold(condition: ThresholdCondition): string {
  const range = condition.kind === 'between' || condition.kind === 'outside' ? `${condition.low} and ${condition.high}` : '';
  const text = condition.kind === 'above' ? `above ${condition.limit}` : condition.kind === 'below' ? `below ${condition.limit}` : `${condition.kind === 'between' ? 'between' : 'outside'} ${range}`;
  return condition.forMs > 0 ? `${text} for ${condition.forMs / 1000} s` : text;
}
