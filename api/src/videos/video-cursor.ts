/** Where a page of the newest-first list ends: opaque to clients. */
export interface VideoCursor {
  createdAt: Date;
  id: string;
}

export function encodeCursor(cursor: VideoCursor): string {
  return Buffer.from(`${cursor.createdAt.toISOString()}|${cursor.id}`).toString('base64url');
}

/** Null when the text is not a cursor this API made. */
export function decodeCursor(text: string): VideoCursor | null {
  const [iso, id, ...rest] = Buffer.from(text, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(iso);
  if (rest.length > 0 || !id || Number.isNaN(createdAt.getTime()) || !/^[0-9a-f-]{36}$/.test(id))
    return null;
  return { createdAt, id };
}
