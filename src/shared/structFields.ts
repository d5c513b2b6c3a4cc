/**
 * One row of a decoded C struct as the detail pane shows it: a tree (by depth) of fields with their byte
 * offset and size in the payload, so each row can highlight its bytes in the hex view.
 */
export interface StructFieldRow {
  /** Nesting level: 0 for the fields of the top struct. */
  depth: number;
  /** Field name, or `[3]` for an array element. */
  name: string;
  /** C type as declared: `uint16_t`, `char[16]`, `struct battery`, `enum mode`. */
  type: string;
  /** First byte of the field in the payload. */
  offset: number;
  /** Bytes the field covers (for a bit-field: the bytes its bits touch). */
  size: number;
  /** Bit-field: first bit inside the byte at `offset` (0 = least significant on little-endian targets). */
  bit?: number;
  /** Bit-field width. */
  bits?: number;
  /** The decoded value as text (leaves, strings); absent for structs and arrays of structs. */
  value?: string;
  /** True when the payload ends before this field's last byte. */
  missing?: boolean;
}
