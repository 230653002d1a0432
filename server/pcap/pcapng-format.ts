/** Numbers of the pcapng format (draft-ietf-opsawg-pcapng), shared by the reader and the writer. */

/** Section header block type; also the first four bytes of every pcapng file. */
export const PCAPNG_SHB = 0x0a0d0d0a;
export const PCAPNG_BYTE_ORDER_MAGIC = 0x1a2b3c4d;

export const BLOCK_IDB = 1;
export const BLOCK_OPB = 2;
export const BLOCK_SPB = 3;
export const BLOCK_EPB = 6;

export const OPT_ENDOFOPT = 0;
export const OPT_COMMENT = 1;
export const SHB_HARDWARE = 2;
export const SHB_OS = 3;
export const SHB_USERAPPL = 4;
export const IF_TSRESOL = 9;
export const IF_TSOFFSET = 14;
