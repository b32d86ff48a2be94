/**
 * A system error (an errno code such as ENOENT) in words, for the messages of files that could
 * not be read or written: the user sees why, never errno text or a stack trace.
 */

/** The errno code of a thrown value, if it has one. */
function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error
    ? String((error as { code: unknown }).code)
    : undefined;
}

const READ_REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'there is no such file',
  EISDIR: 'it is a directory, not a file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a part of its path is a file, not a directory',
  ELOOP: 'it is a symbolic link loop',
};

const WRITE_REASONS: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a part of its path is a file, not a directory',
  EISDIR: 'it is a directory',
  EEXIST: 'a part of its path is a file, not a directory',
  ELOOP: 'its path is a symbolic link loop',
  ENAMETOOLONG: 'its name is too long',
  EIO: 'the device reported an input/output error',
};

/** Why a file could not be read, in words rather than errno text. */
export function readFailure(error: unknown): string {
  const code = errorCode(error);
  if (code !== undefined && READ_REASONS[code] !== undefined) return READ_REASONS[code];
  return code !== undefined ? `the system refused (${code})` : 'the system refused';
}

/** Why a file could not be written; an unknown code or error is quoted as it is. */
export function writeFailure(error: unknown): string {
  const code = errorCode(error);
  if (code !== undefined && WRITE_REASONS[code] !== undefined) return WRITE_REASONS[code];
  return code ?? (error instanceof Error ? error.message : String(error));
}
