// mocha for `npm test`, in the Node process `node --import=tsx` started:
// mocha's own bin (node_modules/.bin/mocha) would start a second Node just
// to pass .mocharc.json's node-option (~0.4 CPU-s). Its parallel workers
// are started with this process's flags, tsx included.
import { main } from 'mocha/lib/cli/cli.js';

main();
