import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { mosquittoVersion } from './mosquittoConfig';
import { SessionError } from './session';

/** A failure of the mosquitto engine (not found, not mosquitto, exited at start): the host offers the embedded broker. */
export class MosquittoError extends SessionError {
  constructor(message: string) {
    super(message);
    this.name = 'MosquittoError';
  }
}

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
export function findMosquittoOnPath(pathVariable = process.env.PATH ?? '', usualFolders: readonly string[] = USUAL_FOLDERS): string | undefined {
  const names = process.platform === 'win32' ? ['mosquitto.exe'] : ['mosquitto'];
  const folders = [...pathVariable.split(delimiter).filter((folder) => folder.length > 0), ...usualFolders];
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
        reject(new MosquittoError(`mosquitto was not found at ${path}. Install mosquitto or correct the setting ${setting}.`));
        return;
      }
      // mosquitto -h exits with status 3 after printing its usage: the exit status says nothing here.
      const version = mosquittoVersion(`${stdout}\n${stderr}`);
      if (version === undefined) reject(new MosquittoError(`${path} is not mosquitto (it did not print "mosquitto version"). Point the setting ${setting} at the mosquitto program.`));
      else resolve({ path, version });
    });
  });
}

/** Where {@link locateMosquitto} looks. */
export interface MosquittoSearch {
  /** The setting's value: a path, or empty for "search PATH". */
  readonly configuredPath: string;
  /** The setting's name, for the sentences. */
  readonly setting: string;
  /** True when the engine setting says "mosquitto" (not "auto"): then not finding it is an error. */
  readonly required: boolean;
  readonly pathVariable?: string;
  readonly usualFolders?: readonly string[];
}

/**
 * The mosquitto to run: the configured path (which must be mosquitto), else the first on PATH or in the usual
 * folders; undefined when none is found and it is not `required` (the caller runs the embedded broker).
 */
export async function locateMosquitto(search: MosquittoSearch): Promise<MosquittoProgram | undefined> {
  const configured = search.configuredPath.trim();
  if (configured !== '') return probeMosquitto(configured, search.setting);
  const found = findMosquittoOnPath(search.pathVariable, search.usualFolders);
  if (found !== undefined) return probeMosquitto(found, search.setting);
  if (search.required) throw new MosquittoError(`mosquitto was not found on PATH. Install mosquitto, set ${search.setting}, or use the embedded broker.`);
  return undefined;
}
