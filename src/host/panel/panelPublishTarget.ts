import { protocolVersionNumber } from '../../core/clientOptions';
import { requestResponse } from '../../core/publish/requestResponse';
import { SessionError } from '../../core/session';
import { timeoutSeconds } from '../commands/requestCommand';
import type { ConnectionManager } from '../connections';
import type { StructHeaders } from '../cstructHeaders';
import type { ProtobufSchemas } from '../protobufSchemas';
import type { PublishHistory } from '../publishHistory';
import type { PublishTarget } from './publishForm';

/**
 * The publish form's view of a connection: its protocol from the profile, the loaded protobuf and C struct types, the topics
 * the palette also completes (recent publishes, then the topic tree), publishing through the connection's offline
 * queue, and requests on its live session; what is published is remembered for "Publish Again".
 */
export function panelPublishTarget(connections: ConnectionManager, protobuf: ProtobufSchemas, structs: StructHeaders, history: PublishHistory) {
  return (connection: string): PublishTarget => ({
    protocolVersion: () => {
      const profile = connections.get(connection)?.entry.profile;
      return profile ? protocolVersionNumber(profile) : undefined;
    },
    proto: () => protobuf.context.proto,
    structs: () => structs.context.structs,
    topics: () => {
      const { recent, seen } = history.topicsFor(connection);
      return [...recent, ...seen];
    },
    submit: (built) => connections.publishOrQueue(connection, built),
    request: (built) => {
      const session = connections.get(connection)?.session;
      if (!session) throw new SessionError(`"${connection}" is not connected. Connect it first: a request needs a live connection to wait for its response.`);
      return requestResponse(session, built, { timeoutMs: timeoutSeconds() * 1000 });
    },
    remember: (draft) => history.rememberDraft(connection, draft),
  });
}
