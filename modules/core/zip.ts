/**
 * A deterministic ZIP archive: the same files give the same bytes on every build (fixed 1980-01-01
 * timestamps, fixed permissions, entries in the order given), so a Lambda package built from unchanged
 * sources keeps its `source_code_hash` and the plan shows no change.
 */
import { crc32, deflateRawSync } from 'zlib';

export interface ZipEntry {
  /** Path inside the archive, `/`-separated. */
  readonly name: string;
  readonly content: Buffer;
}

/** MS-DOS date of 1980-01-01, the earliest a ZIP can say; the time is 00:00. */
const DOS_EPOCH_DATE = (1 << 5) | 1;
const DOS_EPOCH_TIME = 0;
/** Made by Unix (3) with ZIP 2.0, so the external attributes carry a Unix mode. */
const MADE_BY_UNIX = (3 << 8) | 20;
const VERSION_NEEDED = 20;
const DEFLATE = 8;
const UTF8_NAMES = 0x0800;
/** A regular file readable by everyone, as Lambda needs it (0644). */
const REGULAR_FILE_MODE = 0o100644;

export function deterministicZip(entries: readonly ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const compressed = deflateRawSync(entry.content, { level: 9 });

    const fields: EntryFields = { checksum: crc32(entry.content), compressedSize: compressed.length, size: entry.content.length, nameLength: name.length };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    writeEntryFields(local, 4, fields);
    locals.push(local, name, compressed);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(MADE_BY_UNIX, 4);
    writeEntryFields(central, 6, fields);
    central.writeUInt32LE((REGULAR_FILE_MODE << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);

    offset += local.length + name.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

interface EntryFields {
  readonly checksum: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly nameLength: number;
}

/**
 * The 26 bytes the local header and the central directory record share, in the same order (APPNOTE 4.3.7
 * and 4.3.12): version needed, flags, method, time, date, CRC-32, both sizes and the name's length.
 */
function writeEntryFields(header: Buffer, at: number, fields: EntryFields): void {
  header.writeUInt16LE(VERSION_NEEDED, at);
  header.writeUInt16LE(UTF8_NAMES, at + 2);
  header.writeUInt16LE(DEFLATE, at + 4);
  header.writeUInt16LE(DOS_EPOCH_TIME, at + 6);
  header.writeUInt16LE(DOS_EPOCH_DATE, at + 8);
  header.writeUInt32LE(fields.checksum, at + 10);
  header.writeUInt32LE(fields.compressedSize, at + 14);
  header.writeUInt32LE(fields.size, at + 18);
  header.writeUInt16LE(fields.nameLength, at + 22);
}
