/** A user property pair as MQTT 5 carries it (keys may repeat). */
export type UserProperty = readonly [key: string, value: string];

/** MQTT 5 PUBLISH properties we keep with a message (all optional; absent on 3.1.1). */
export interface PublishProperties {
  payloadFormatIndicator?: boolean;
  messageExpiryInterval?: number;
  topicAlias?: number;
  responseTopic?: string;
  correlationData?: Uint8Array;
  userProperties?: UserProperty[];
  subscriptionIdentifiers?: number[];
  contentType?: string;
}

/** Quality of service levels. */
export type QoS = 0 | 1 | 2;

/** One message as the extension records it, received from or sent to a broker. */
export interface MqttMessage {
  /** Full topic name, exactly as on the wire (empty levels kept). */
  topic: string;
  /** Raw payload bytes. */
  payload: Uint8Array;
  qos: QoS;
  retain: boolean;
  /** DUP flag of the PUBLISH packet (a QoS 1/2 redelivery). */
  dup: boolean;
  properties?: PublishProperties;
  /** Epoch milliseconds when the extension received (or sent) it. */
  receivedAt: number;
  /** Monotonic sequence number per session, for ordering and history ranges. */
  seq: number;
  direction: 'in' | 'out';
}
