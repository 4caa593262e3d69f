/** `scheme://user:secret@host` → `scheme://user:***@host`, anywhere in a text. */
const CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*):([^@\s]*)@/gi;

export function maskPasswords(text: string): string {
  return text.replace(CREDENTIALS, (_match, userPart: string) => `${userPart}:***@`);
}
