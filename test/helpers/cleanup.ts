// Last-resort cleanup for processes the tests start: runs registered hooks when this process exits or
// is told to stop by a signal, so no broker or server outlives the test run that started it.

type Hook = () => void;

const hooks = new Set<Hook>();
const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let installed = false;

function runHooks(): void {
  for (const hook of [...hooks]) {
    hooks.delete(hook);
    try {
      hook();
    } catch {
      // Exiting anyway: one failing hook must not keep the others from running.
    }
  }
}

function onSignal(signal: NodeJS.Signals): void {
  runHooks();
  // If nobody else handles the signal, restore the default behaviour (terminate) and re-raise it.
  if (process.listenerCount(signal) === 1) {
    process.removeListener(signal, onSignal);
    process.kill(process.pid, signal);
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', runHooks);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

/**
 * Registers a synchronous hook to run when the process exits (normally, or on SIGINT/SIGTERM/SIGHUP).
 * Use it to SIGKILL child processes that were not stopped. Returns a function that unregisters it.
 */
export function onProcessExit(hook: Hook): () => void {
  install();
  hooks.add(hook);
  return () => {
    hooks.delete(hook);
  };
}
