// Mints a user access token for trying the gateway: npm run token -- --sub alice --org acme [--role admin] [--ttl 3600]
// Signed with JWT_SECRET from the environment / .env (the development default when unset).
import { parseArgs } from 'node:util';
import { Logger } from '@nestjs/common';
import { config as loadDotenv } from 'dotenv';
import { HmacJwt } from '../src/common/auth/hmac-jwt';
import { loadConfig } from '../src/config/app-config';

loadDotenv({ quiet: true });
// stdout carries only the token, so that TOKEN=$(npm run -s token ...) works.
Logger.overrideLogger(false);
const { values } = parseArgs({
  options: {
    sub: { type: 'string', default: 'alice' },
    org: { type: 'string', multiple: true, default: ['acme'] },
    role: { type: 'string', multiple: true, default: [] },
    ttl: { type: 'string', default: '3600' },
  },
});
const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
const token = new HmacJwt(config.JWT_SECRET).sign(
  { sub: values.sub, orgs: values.org, roles: values.role },
  { expiresIn: Number(values.ttl) },
);
process.stdout.write(`${token}\n`);
