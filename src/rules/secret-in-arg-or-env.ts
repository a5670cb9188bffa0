import { keyValues } from '../model/instructions.js';
import { defineRule } from './rule.js';

const SECRET_WORD = /(?:_|^)(?:apikey|auth|credentials?|key|password|pword|passwd|secret|token)(?:_|$)/i;
/** Words that say the value is not the secret: a public key, a file, a version, a checksum, an address. */
const ALLOWED_WORD = /(?:_|^)(?:public|file|version|sha1|sha256|sha384|sha512|md5|checksum|hash|digest|fingerprint|url|uri)(?:_|$)/i;
/** A name about an OpenPGP key (`GPG_KEY`, `NODE_PGP_KEY`). */
const PGP_WORD = /(?:_|^)(?:gpg|pgp|gnupg)(?:_|$)/i;
/** An absolute path (`/run/secrets/db.pass`): where the secret is read from at run time, not the secret. */
const PATH_VALUE = /^\/[\w.@+-]+(?:\/[\w.@+-]+)+\/?$/;
/** One or more OpenPGP key ids or fingerprints (16 or 40 hex digits, 0x or not): public by design. */
const FINGERPRINTS = /^\s*(?:(?:0x)?(?:[0-9a-f]{16}|[0-9a-f]{40})\s*)+$/i;

export default defineRule({
  id: 'secret-in-arg-or-env',
  severity: 'warning',
  category: 'privilege',
  recommended: true,
  scope: 'instructions',
  title: 'A secret passed through ARG or ENV',
  peers: { buildkit: ['SecretsUsedInArgOrEnv'], hadolint: ['DL3064'] },
  messages: {
    secret: {
      message: '`{keyword} {name}` looks like a secret: ARG values are recorded in the image history and ENV values in its config, so anyone who can pull the image can read it.',
      hint: 'Pass it as a build secret: `RUN --mount=type=secret,id={id},env={name} ...` and `docker build --secret id={id},env={name}`.',
    },
  },
  docs: {
    what: 'An ARG or ENV whose name has a word (split on `_`) that means a secret: password, passwd, pword, secret, token, key, apikey, auth, credential(s); not when another word says it is not one (public, file, version, a checksum or an address: `GPG_KEY_FILE`, `PUBLIC_KEY`, `KEY_RPM_SHA256`, `KEYCLOAK_AUTH_URL`), and not for an OpenPGP key named by its fingerprint (`ENV GPG_KEY=<40 hex digits>`, which the official images use to fetch the public key that signs a download; BuildKit\'s check reports it), nor for a value that is an absolute path (`ENV DB_PASSWORD=/run/secrets/db.pass`, the file a start script reads the secret from).',
    why: 'Build arguments and environment variables persist in the image metadata; build secrets do not.',
    bad: 'FROM node:22\nARG NPM_TOKEN\nRUN npm ci',
    good: 'FROM node:22\nRUN --mount=type=secret,id=npm,env=NPM_TOKEN npm ci',
    howToFix: 'Use a secret mount for the value.',
  },
  check(ctx) {
    for (const view of ctx.view.instructions) {
      if (view.keyword !== 'ARG' && view.keyword !== 'ENV') continue;
      for (const kv of keyValues(view.inst, ctx.dockerfile.escape)) {
        if (!SECRET_WORD.test(kv.key) || ALLOWED_WORD.test(kv.key)) continue;
        // `ENV GPG_KEY=7169605F...`: the fingerprint `gpg --recv-keys` fetches the public key by.
        if (PGP_WORD.test(kv.key) && kv.value !== null && FINGERPRINTS.test(kv.value)) continue;
        // `ENV DB_PASSWORD=/run/secrets/db.pass`: the start script reads the file it names.
        if (kv.value !== null && PATH_VALUE.test(kv.value)) continue;
        ctx.report({ messageId: 'secret', data: { keyword: view.keyword, name: kv.key, id: kv.key.toLowerCase().replace(/_/g, '-') }, at: { file: ctx.env.dockerfile.displayPath, span: kv.keySpan } });
      }
    }
  },
});
