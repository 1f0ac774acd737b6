// Test helper (node --import): records every module URL the process loads into $TRACE_OUT on exit.
import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const loaded = [];
registerHooks({
  load(url, context, next) {
    loaded.push(url);
    return next(url, context);
  },
});
process.on('exit', () => writeFileSync(process.env.TRACE_OUT, `${loaded.join('\n')}\n`));
