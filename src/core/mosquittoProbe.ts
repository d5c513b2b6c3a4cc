import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { mosquittoVersion } from './mosquittoConfig';
import { SessionError } from './session';

/** Where mosquitto is usually installed but PATH often does not reach (Debian puts it in /usr/sbin). */
const USUAL_FOLDERS = ['/usr/sbin', '/usr/local/sbin', '/opt/homebrew/sbin', '/opt/homebrew/opt/mosquitto/sbin', '/usr/local/opt/mosquitto/sbin', 'C:\\Program Files\\mosquitto'];

const PROBE_TIMEOUT_MS = 5_000;

/** A mosquitto program that answered `-h` with its version. */
export interface MosquittoProgram {
  readonly path: string;
  /** e.g. "2.0.11". */
  readonly version: string;
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The first `mosquitto` (or `mosquitto.exe`) executable on PATH or in the usual install folders, else undefined. */
export function findMosquittoOnPath(pathVariable = process.env.PATH ?? ''): string | undefined {
  const names = process.platform === 'win32' ? ['mosquitto.exe'] : ['mosquitto'];
  const folders = [...pathVariable.split(delimiter).filter((folder) => folder.length > 0), ...USUAL_FOLDERS];
  for (const folder of folders) for (const name of names) if (isExecutableFile(join(folder, name))) return join(folder, name);
  return undefined;
}

/**
 * Runs `path -h` and reads the version mosquitto prints. Rejects with a sentence naming `setting` when the file
 * is missing or is some other program.
 */
export function probeMosquitto(path: string, setting: string): Promise<MosquittoProgram> {
  return new Promise((resolve, reject) => {
    execFile(path, ['-h'], { timeout: PROBE_TIMEOUT_MS, windowsHide: true }, (error, stdout, stderr) => {
      const code = (error as NodeJS.ErrnoException | null)?.code;
      if (code === 'ENOENT' || code === 'EACCES') {
        reject(new SessionError(`mosquitto was not found at ${path}. Install mosquitto or correct the setting ${setting}.`));
        return;
      }
      // mosquitto -h exits with status 3 after printing its usage: the exit status says nothing here.
      const version = mosquittoVersion(`${stdout}\n${stderr}`);
      if (version === undefined) reject(new SessionError(`${path} is not mosquitto (it did not print "mosquitto version"). Point the setting ${setting} at the mosquitto program.`));
      else resolve({ path, version });
    });
  });
}
