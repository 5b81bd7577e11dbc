/**
 * The pure core of bienlai: everything here is deterministic, I/O-free and
 * runs unchanged on Bun, Deno and Node.
 */
export {}
