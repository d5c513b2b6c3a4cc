/** The scenario "New Scenario" writes (and the README shows): 20 thermostats reporting, answering commands, measured. */
export function sampleScenario(broker: string): Record<string, unknown> {
  return {
    description: '20 simulated thermostats: telemetry every second, answers to commands, end-to-end latency measured.',
    broker,
    clients: 20,
    clientId: 'sim-thermostat-{index}',
    connectRate: 50,
    duration: 30,
    seed: 1,
    will: { topic: 'devices/{clientId}/status', payload: 'offline', qos: 1, retain: true },
    publish: [
      {
        topic: 'devices/{clientId}/telemetry',
        rate: 1,
        jitter: 0.1,
        qos: 1,
        payload: { device: '{clientId}', seq: '{seq}', temperature: '{temperature}', humidity: '{humidity}', mode: '{mode}', at: '{now}' },
        generators: {
          temperature: { type: 'sine', min: 19, max: 23, periodSeconds: 60 },
          humidity: { type: 'walk', start: 45, step: 0.5, min: 30, max: 70 },
          mode: { type: 'pick', values: ['heat', 'eco', 'off'] },
          now: { type: 'timestamp', format: 'iso' },
        },
      },
    ],
    respond: [{ filter: 'devices/{clientId}/cmd/#', payload: { ok: true, device: '{clientId}', command: '{request.topic}' }, qos: 1, delay: 5 }],
    subscribe: [{ filter: 'devices/+/telemetry', qos: 0 }],
  };
}
