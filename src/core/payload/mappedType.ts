/**
 * The type a codec decodes with: the explicit one when given, else the topic mapping of the settings (protobuf
 * message types, C struct types). A throwing mapping callback counts as unmapped: it is the caller's bug.
 */
export function mappedType(explicit: string | undefined, topic: string | undefined, forTopic: ((topic: string) => string | undefined) | undefined): string | undefined {
  if (explicit !== undefined && explicit !== '') return explicit;
  if (topic === undefined || forTopic === undefined) return undefined;
  try {
    return forTopic(topic);
  } catch {
    return undefined;
  }
}
