/**
 * `npm run doctor`: prints one line per check (src/ops/doctor.ts) and exits 1 if any failed, 0 otherwise
 * (warnings included). Reads the same environment as `npm start`.
 */
import { formatResult, runDoctor } from './doctor.js';

const results = await runDoctor(process.env);
for (const result of results) process.stdout.write(formatResult(result) + '\n');
const failed = results.filter((r) => r.status === 'fail').length;
const warned = results.filter((r) => r.status === 'warn').length;
process.stdout.write(
  failed ? `\n${failed} check${failed > 1 ? 's' : ''} failed.\n` : `\nAll good${warned ? ` (${warned} warning${warned > 1 ? 's' : ''})` : ''}.\n`,
);
process.exitCode = failed ? 1 : 0;
