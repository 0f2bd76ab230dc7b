/** A systemd unit file: section → key → every value assigned (keys may repeat). */
export type UnitFile = Map<string, Map<string, string[]>>;

export function parseUnitFile(text: string): UnitFile {
  const unit: UnitFile = new Map();
  let section: Map<string, string[]> | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(\w+)\]$/.exec(line);
    if (header) {
      section = new Map();
      unit.set(header[1]!, section);
      continue;
    }
    const pair = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (!pair || section === null) throw new Error(`not a unit file line: ${raw}`);
    section.set(pair[1]!, [...(section.get(pair[1]!) ?? []), pair[2]!]);
  }
  return unit;
}

/** The last value of `key` in `section` (systemd's rule for single-valued keys), or undefined. */
export function unitValue(unit: UnitFile, section: string, key: string): string | undefined {
  return unit.get(section)?.get(key)?.at(-1);
}
