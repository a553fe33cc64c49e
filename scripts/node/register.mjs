// `node --import ./scripts/node/register.mjs`: installs the tfjs ESM hooks (see tfjs-esm-hooks.mjs).
import { register } from 'node:module';

register('./tfjs-esm-hooks.mjs', import.meta.url);
