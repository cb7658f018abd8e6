/** TopicRecordNameStrategy: one subject per (topic, record), so a topic can carry several record types. */
export function topicRecordSubject(topic: string, recordFullName: string): string {
  return `${topic}-${recordFullName}`;
}
