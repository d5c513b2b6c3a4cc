// dist/simulator.js: the fleet simulator. Started by the extension (a child process with an IPC channel and
// MQTT_WORKBENCH_SIMULATOR=ipc) it serves the typed protocol; started from a terminal it is the headless CLI.
import { main } from './cli';
import { serveIpc } from './ipc';

if (process.env.MQTT_WORKBENCH_SIMULATOR === 'ipc' && process.send) {
  serveIpc();
} else {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
