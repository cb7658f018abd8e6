/** A host and port named in a setting: a URL or a `host:port` pair. */
export interface Address {
  readonly host: string;
  readonly port: number | null;
}

/**
 * The addresses in a variable's value: URLs (`http://query:8091`, `mongodb://mongo-0:27017/`) and `host:port`
 * pairs (`kafka:9092`), several when comma-separated. Other values have none.
 */
export function addressesIn(value: string): Address[] {
  return value.split(',').flatMap((part) => {
    const text = part.trim();
    if (text.includes('://')) {
      try {
        const url = new URL(text);
        return url.hostname ? [{ host: url.hostname, port: url.port ? Number(url.port) : null }] : [];
      } catch {
        return [];
      }
    }
    const pair = /^([a-z0-9][a-z0-9.-]*):(\d+)$/i.exec(text);
    return pair ? [{ host: pair[1]!, port: Number(pair[2]) }] : [];
  });
}
