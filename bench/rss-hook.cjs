// Preloaded into a Node child (NODE_OPTIONS=--require .../rss-hook.cjs) when /usr/bin/time is not
// available: on exit, writes "user-seconds system-seconds peak-RSS-kB" (getrusage of this process,
// the same fields as GNU time's `%U %S %M`) to $BENCH_RSS_FILE.
'use strict';
const fs = require('node:fs');

const out = process.env.BENCH_RSS_FILE;
if (out) {
  process.on('exit', () => {
    try {
      const u = process.resourceUsage();
      fs.writeFileSync(out, `${u.userCPUTime / 1e6} ${u.systemCPUTime / 1e6} ${u.maxRSS}`);
    } catch {
      // nothing to report to
    }
  });
}
