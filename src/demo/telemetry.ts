/** Root of every topic the demo device uses. */
export const DEMO_ROOT = 'demo/greenhouse';

/** The topics the demo device publishes and listens on. */
export const DEMO_TOPICS = {
  temperature: `${DEMO_ROOT}/sensor-1/temperature`,
  humidity: `${DEMO_ROOT}/sensor-1/humidity`,
  soilTemperature: `${DEMO_ROOT}/sensor-2/temperature`,
  counter: `${DEMO_ROOT}/counter`,
  /** CBOR map { temperature, humidity, ts } of sensor-1. */
  cbor: `${DEMO_ROOT}/sensor-1/cbor`,
  /** Retained "online"; the will sets it to "offline" (retained) when the device dies. */
  status: `${DEMO_ROOT}/status`,
  /** Requests: `cmd/<name>`; each is answered on its MQTT 5 response topic. */
  commands: `${DEMO_ROOT}/cmd/#`,
  /** Where requests without a response topic (MQTT 3.1.1) are answered: `response/<name>`. */
  responses: `${DEMO_ROOT}/response`,
} as const;

/** One JSON reading as the device sends it. */
export interface Reading {
  value: number;
  unit: string;
  ts: number;
}

/** Simulated greenhouse sensors: slow daily swings plus a little noise, rounded like a real sensor. */
export class Greenhouse {
  private tick = 0;

  /** Advances one step and returns the readings of this step, stamped `now` (ms since the epoch). */
  next(now: number): { temperature: Reading; humidity: Reading; soilTemperature: Reading; counter: number } {
    this.tick++;
    const phase = (this.tick / 60) * Math.PI;
    const noise = (): number => (Math.random() - 0.5) * 0.2;
    return {
      temperature: { value: round(21.4 + 2 * Math.sin(phase) + noise()), unit: 'C', ts: now },
      humidity: { value: round(55 - 8 * Math.sin(phase) + noise() * 5), unit: '%', ts: now },
      soilTemperature: { value: round(18.2 + 0.5 * Math.sin(phase / 2) + noise()), unit: 'C', ts: now },
      counter: this.tick,
    };
  }
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
